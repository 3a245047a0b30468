/*
 * Probe: __attribute__((packed)) structs (members at unaligned offsets), a
 * packed struct nested in an unpacked one, and #pragma pack(2).
 *
 * Why avenues might drift: BTF has no "packed" flag; only the member offsets
 * and the struct size encode it. Both encoders should produce identical
 * offsets, but anything that recomputes layout instead of copying it would
 * differ here.
 */
struct __attribute__((packed)) packed_hdr {
	char tag;
	int value;       /* offset 1 */
	short len;       /* offset 5 */
	long long big;   /* offset 7 */
};

struct packed_hdr packed_var;

struct outer_unpacked {
	char c;
	struct packed_hdr h;  /* alignment 1 */
	int after;
};

struct outer_unpacked outer_var;

#pragma pack(push, 2)
struct pack2 {
	char a;
	int b;           /* offset 2 */
	char c;
	long d;          /* offset 8 */
};
#pragma pack(pop)

struct pack2 pack2_var;
