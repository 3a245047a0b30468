/*
 * Probe: restrict-qualified pointers (BTF_KIND_RESTRICT): function parameters,
 * a global, a struct member, and restrict combined with const/volatile.
 *
 * Why avenues might drift: restrict is a pointer qualifier (applies to the
 * PTR, not the pointee). DWARF has DW_TAG_restrict_type; pahole copies it,
 * gcc -gbtf may drop it or place it in a different spot in the modifier
 * chain relative to const/volatile.
 */
int *restrict rp_global;
const int *restrict crp_global;
int *const restrict rcp_global = 0;
char *volatile restrict vrp_global;

struct buffers {
	char *restrict src;
	char *restrict dst;
};

struct buffers bufs;

void copy(char *restrict dst, const char *restrict src, unsigned long n)
{
	while (n--)
		*dst++ = *src++;
}
