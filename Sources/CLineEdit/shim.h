// libedit's GNU readline emulation (Debian: libedit-dev).
#include <stdio.h>
#include <editline/readline.h>
