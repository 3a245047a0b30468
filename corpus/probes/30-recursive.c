/*
 * Probe: self-recursive structs (linked list, tree) and mutually recursive
 * structs (A points to B, B points to A), plus a recursive union through a
 * typedef.
 *
 * Why avenues might drift: an encoder must break cycles by emitting a type
 * before its referents are complete (ID order, or a FWD placeholder). pahole
 * assigns IDs in DWARF order; gcc -gbtf in its own traversal order, so IDs and
 * possibly the presence of a FWD may differ.
 */
struct list {
	struct list *next;
	struct list *prev;
	int payload;
};

struct tree {
	struct tree *child[2];
	struct tree *parent;
	long key;
};

struct b_side;
struct a_side {
	struct b_side *b;
	int a;
};
struct b_side {
	struct a_side *a;
	struct a_side embedded;
};

typedef union rnode rnode_t;
union rnode {
	rnode_t *link;
	long leaf;
};

struct list list_var;
struct tree tree_var;
struct b_side b_var;
rnode_t rnode_var;
