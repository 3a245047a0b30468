/*
 * Probe: chains of typedefs (typedef of typedef of typedef), typedefs of
 * pointers, of structs (named and anonymous), of arrays and of function types.
 *
 * Why avenues might drift: each link is a TYPEDEF; an encoder could collapse
 * intermediate typedefs, or emit typedefs that DWARF pruning removed.
 * Anonymous-struct typedefs (`typedef struct {..} t;`) rely on the STRUCT
 * being anonymous with the name on the TYPEDEF.
 */
typedef unsigned int u32_t;
typedef u32_t reg_t;
typedef reg_t hwreg_t;
typedef hwreg_t volatile_free_reg_t;

volatile_free_reg_t deep_reg;

typedef struct node node_t;
struct node {
	node_t *next;
	int v;
};
typedef node_t *node_ptr_t;
node_ptr_t list_head;

typedef struct {
	int x, y;
} point_t;
typedef point_t vec_t;
vec_t origin;

typedef int arr4_t[4];
typedef arr4_t arr4_alias_t;
arr4_alias_t four;

typedef int binop_t(int, int);
binop_t *op_ptr;
