/*
 * Probe: forward declarations and opaque types (BTF_KIND_FWD): a struct and a
 * union that are only declared, used through pointers and typedefs; and a
 * forward-declared struct that is completed later in the same file.
 *
 * Why avenues might drift: DWARF gives DW_TAG_structure_type with
 * DW_AT_declaration; pahole emits FWD (kind_flag 0 = struct, 1 = union). gcc
 * -gbtf may emit FWD, or an empty STRUCT of size 0, or forget the union flag.
 * Forward-declared-then-completed types must become a normal STRUCT.
 */
struct opaque_handle;
union opaque_union;

typedef struct opaque_handle handle_t;

struct opaque_handle *handle_ptr;
union opaque_union *uptr;
handle_t *handle_typedef_ptr;

struct later;
struct later *later_ptr;
struct later {
	int completed;
};

struct uses_opaque {
	struct opaque_handle *h;
	union opaque_union *u;
	struct another_opaque *declared_inline;
};

struct uses_opaque uo_var;

int handle_close(struct opaque_handle *h)
{
	return h != 0;
}
