// The ncursesw API as Swift can import it: the wide-character functions need NCURSES_WIDECHAR, and the
// macros and mutable globals Swift cannot see (or may not touch under Swift 6) are wrapped as functions.
#ifndef ROSTER_CNCURSESW_SHIM_H
#define ROSTER_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *roster_stdscr(void) { return stdscr; }
static inline int roster_lines(void) { return LINES; }
static inline int roster_cols(void) { return COLS; }
static inline int roster_colors(void) { return COLORS; }
static inline int roster_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t roster_a_normal(void) { return A_NORMAL; }
static inline attr_t roster_a_bold(void) { return A_BOLD; }
static inline attr_t roster_a_dim(void) { return A_DIM; }
static inline attr_t roster_a_reverse(void) { return A_REVERSE; }
static inline attr_t roster_a_underline(void) { return A_UNDERLINE; }
static inline attr_t roster_color_pair(int pair) { return (attr_t)COLOR_PAIR(pair); }

static inline int roster_key_code_yes(void) { return KEY_CODE_YES; }

static inline FILE *roster_stdin(void) { return stdin; }
static inline FILE *roster_stdout(void) { return stdout; }

/// Adds one cell holding `count` wide characters (a spacing one and what follows it) at (y, x): an emoji
/// ZWJ sequence is one glyph of its first emoji's width, which waddnwstr would split into several cells.
static inline int roster_add_cluster(WINDOW *window, int y, int x, const wchar_t *chars, int count, attr_t attrs) {
    cchar_t cell;
    wchar_t first[2] = {chars[0], 0};
    if (setcchar(&cell, first, attrs & ~A_COLOR, (short)PAIR_NUMBER(attrs), NULL) == ERR) return ERR;
    for (int i = 1; i < count && i < CCHARW_MAX; ++i) cell.chars[i] = chars[i];
    return mvwadd_wch(window, y, x, &cell);
}

/// Whether a terminfo string capability is present (tigetstr returns NULL or (char *)-1 otherwise).
static inline int roster_has_string_capability(const char *name) {
    char *value = tigetstr(name);
    return value != NULL && value != (char *)-1;
}

/// After endwin: a terminal without an alternate screen keeps the last frame; clear it.
static inline void roster_clear_without_alternate_screen(void) {
    if (roster_has_string_capability("smcup")) return;
    char *clear = tigetstr("clear");
    if (clear != NULL && clear != (char *)-1) {
        putp(clear);
        fflush(stdout);
    }
}

/// Whether the locale's character set (after setlocale) is UTF-8.
static inline int roster_codeset_is_utf8(void) { return strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }

/// Frees the terminfo entry a setupterm check loaded, before newterm loads its own.
static inline void roster_release_setupterm(void) {
    if (cur_term != NULL) del_curterm(cur_term);
}

#endif
