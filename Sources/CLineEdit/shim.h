// libedit's GNU readline emulation (Debian: libedit-dev).
#include <stdio.h>
#include <editline/readline.h>

// Setters for readline's global hooks, so Swift need not touch C globals.
static inline void cle_set_catch_signals(int value) { rl_catch_signals = value; }
static inline void cle_set_getc_function(int (*function)(FILE *)) { rl_getc_function = function; }
static inline void cle_set_completion_function(rl_completion_func_t *function) { rl_attempted_completion_function = function; }
static inline void cle_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline const char *cle_line_buffer(void) { return rl_line_buffer; }
static inline int cle_point(void) { return rl_point; }
