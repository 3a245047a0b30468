/*
 * Probe: __attribute__((btf_decl_tag("..."))) (BTF_KIND_DECL_TAG) on a
 * struct, a struct member, a global variable, a function, a function
 * parameter and a typedef.
 *
 * Why avenues might drift: gcc 12 does not know btf_decl_tag, so
 * __has_attribute(btf_decl_tag) is 0 and the tags compile away: neither gcc
 * avenue can produce DECL_TAG; only clang-16 (which supports it) emits them.
 * The probe still shows the un-tagged skeleton must match. For clang the
 * attribute is also kept in DWARF (DW_TAG_LLVM_annotation), which pahole 1.24
 * can encode, so `clang -g` + pahole is a third avenue where tags appear.
 */
#if defined(__has_attribute)
#if __has_attribute(btf_decl_tag)
#define __decl_tag(x) __attribute__((btf_decl_tag(x)))
#endif
#endif
#ifndef __decl_tag
#define __decl_tag(x)
#endif

struct __decl_tag("struct_tag") tagged {
	int plain;
	int marked __decl_tag("member_tag");
};

typedef int tagged_int_t __decl_tag("typedef_tag");

struct tagged tagged_var __decl_tag("var_tag");
tagged_int_t tagged_int_var;

int __decl_tag("func_tag") tagged_func(int arg __decl_tag("param_tag"))
{
	return arg + tagged_var.marked;
}
