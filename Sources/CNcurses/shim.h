/* ncursesw's wide-character API, which curses.h declares only with NCURSES_WIDECHAR (pkg-config would pass
   -D_XOPEN_SOURCE for it; the package does not use pkg-config, see Package.swift). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
