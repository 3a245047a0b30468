/*
 * Probe: C11 anonymous structs and unions nested inside structs and unions,
 * several levels deep, next to named nested types.
 *
 * Why avenues might drift: anonymous members appear as members with an empty
 * name whose type is an anonymous STRUCT/UNION. Encoders may emit the inner
 * types in different orders (before/after the outer), and the name_off of
 * an anonymous member must be 0 on both sides.
 */
struct packet {
	int kind;
	union {
		struct {
			unsigned short sport;
			unsigned short dport;
		};
		struct {
			unsigned char type;
			unsigned char code;
		} icmp;
		unsigned int raw;
	};
	struct {
		union {
			long l;
			double d;
		};
		int inner_tag;
	} nested;
};

struct packet pkt;

union variant {
	struct {
		int a, b;
	};
	long long both;
};

union variant var_u;
