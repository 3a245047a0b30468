/*
 * Probe: pointer kinds: void *, pointer to pointer, pointer to void pointer,
 * pointer to struct, pointer to array, const void *.
 *
 * Why avenues might drift: PTR to void has type_id 0 in BTF. Multiple
 * pointer levels create a chain of PTRs; encoders may deduplicate or order
 * them differently. `const void *` is PTR -> CONST -> void(0).
 */
void *vp;
void **vpp;
const void *cvp;
int **ipp;
int ***ippp;

struct pt {
	int x;
};

struct pt *spt;
struct pt **sptp;
int (*arr_ptr)[10];

void *identity(void *p)
{
	return p;
}
