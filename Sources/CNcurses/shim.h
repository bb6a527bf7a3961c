/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE, which curses.h needs for its wide-character API. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
