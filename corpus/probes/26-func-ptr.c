/*
 * Probe: function pointers: typedef'd and raw, in struct members ("ops"
 * tables), returning function pointers, taking function pointers, and a
 * pointer to a function with no parameters (void).
 *
 * Why avenues might drift: a function pointer is PTR -> FUNC_PROTO. The
 * FUNC_PROTO parameter names (DWARF usually has none for types) and the
 * distinction between `(void)` (vlen=0) and `()` may differ. FUNC_PROTOs are
 * anonymous so dedup and ordering may differ.
 */
typedef int (*cmp_fn)(const void *, const void *);
typedef void (*cb_fn)(void);

struct ops {
	int (*open)(const char *path, int flags);
	void (*close)(int fd);
	long (*read)(int fd, void *buf, unsigned long n);
	cmp_fn cmp;
	cb_fn done;
};

struct ops file_ops;

int (*get_handler(int which))(int)
{
	(void)which;
	return 0;
}

void register_cb(cb_fn cb, cmp_fn *cmp_slot)
{
	(void)cb;
	(void)cmp_slot;
}

void (*signal_like)(int, void (*)(int));
