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

/* The mouse: presses of the left button and the wheel, reported at once (no click interval: double clicks are told
   apart by the dashboard). Returns 1 when the terminal reports them. */
static inline int shim_mouse_on(void) {
    mouseinterval(0);
    return mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
}
static inline void shim_mouse_off(void) { mousemask(0, NULL); }
/* The pending mouse event: 1 left press, 4 wheel up, 5 wheel down, 0 anything else; -1 when none can be read. */
static inline int shim_mouse_event(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_PRESSED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 4;
    if (event.bstate & BUTTON5_PRESSED) return 5;
    return 0;
}

/// Terminal columns of one Unicode scalar under the current locale: 0, 1 or 2; -1 when not printable.
int shim_wcwidth(uint32_t scalar);

/// Sets LC_CTYPE from the environment if that is UTF-8, else to C.UTF-8; returns 1 when a UTF-8 locale is active.
int shim_set_utf8_ctype(void);
#endif
