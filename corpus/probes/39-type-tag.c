/*
 * Probe: __attribute__((btf_type_tag("..."))) (BTF_KIND_TYPE_TAG) on pointee
 * types, the kernel's __user/__rcu idiom: a tagged pointer global, a tagged
 * struct member, two tags on one pointer, and a tagged pointer parameter.
 *
 * Why avenues might drift: gcc 12 does not know btf_type_tag, so
 * __has_attribute(btf_type_tag) is 0 and the tags compile away; neither gcc
 * avenue produces TYPE_TAG. clang-16 supports it and emits TYPE_TAG in a
 * PTR -> TYPE_TAG -> T chain (and DW_TAG_LLVM_annotation in DWARF, so
 * clang -g + pahole 1.24 can also encode it).
 */
#if defined(__has_attribute)
#if __has_attribute(btf_type_tag)
#define __type_tag(x) __attribute__((btf_type_tag(x)))
#endif
#endif
#ifndef __type_tag
#define __type_tag(x)
#endif

#define __user __type_tag("user")
#define __rcu __type_tag("rcu")

int __user *user_ptr;
char __user __rcu *double_tagged;

struct task {
	struct task __rcu *parent;
	const char __user *name;
};

struct task task_var;

long copy_from(void __user *src, unsigned long n)
{
	return src ? (long)n : 0;
}
