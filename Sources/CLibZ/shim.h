/* zlib (Debian zlib1g-dev): inflating the parts of Word documents. */
#include <zlib.h>
