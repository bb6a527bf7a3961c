/* Helpers for what Swift cannot import from curses.h: function-like macros, lvalue macros and globals. */
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <stdint.h>
#include <wchar.h>

static inline WINDOW *shim_stdscr(void) { return stdscr; }
static inline int shim_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t shim_a_normal(void) { return A_NORMAL; }
static inline attr_t shim_a_bold(void) { return A_BOLD; }
static inline attr_t shim_a_dim(void) { return A_DIM; }
static inline attr_t shim_a_reverse(void) { return A_REVERSE; }
static inline attr_t shim_a_underline(void) { return A_UNDERLINE; }
static inline int shim_key_f(int n) { return KEY_F(n); }
static inline int shim_put_cell(WINDOW *w, int y, int x, const wchar_t *wcs, attr_t a, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wcs, a, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}

/// Terminal columns of one Unicode scalar under the current locale: 0, 1 or 2; -1 when not printable.
int shim_wcwidth(uint32_t scalar);

/// Sets LC_CTYPE from the environment if that is UTF-8, else to C.UTF-8; returns 1 when a UTF-8 locale is active.
int shim_set_utf8_ctype(void);
#endif
