/*
 * Probe: plain enum with small non-negative values, named and anonymous,
 * plus an enum used through a typedef.
 *
 * Why avenues might drift: this is the baseline for the ENUM kind; both should
 * give an ENUM of size 4 with identical enumerators. Possible differences are
 * the signedness kind_flag (new in kernel 6.0 / pahole 1.24) and how an
 * anonymous enum that is only reachable through a typedef is encoded.
 */
enum color { RED, GREEN = 5, BLUE };

enum color color_var;

typedef enum { SMALL, MEDIUM, LARGE } size_t_enum;

size_t_enum size_var;

struct painted {
	enum color c;
	size_t_enum s;
};

struct painted painted_var;
