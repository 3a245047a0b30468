/*
 * Probe: C namespaces: a struct, a union and an enum tag sharing spellings
 * with typedefs and variables (`typedef struct foo foo;`, `struct stat` +
 * function `stat`-like), and a typedef whose name equals a struct tag
 * pointing at a different type.
 *
 * Why avenues might drift: BTF names for STRUCT, TYPEDEF, VAR and FUNC are
 * separate strings that may coincide; a comparison keyed by name alone, or an
 * encoder deduplicating by name, would conflate them.
 */
typedef struct foo foo;
struct foo {
	int a;
};

struct item {
	long id;
};
typedef int item;   /* typedef named like a different struct tag */

union val {
	int i;
};
typedef union val val;

enum mode { MODE_A, MODE_B };
typedef enum mode mode;

foo foo_var;
struct item item_struct;
item item_var;
val val_var;
mode mode_var;

struct stat {
	long size;
};

int stat(struct stat *st)
{
	return st != 0;
}
