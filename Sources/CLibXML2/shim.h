// libxml2's HTML and XML parsers (Debian: libxml2-dev), for reading HTML
// pages and Word documents.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with the ICU that
// Foundation carries. Nothing here uses libxml2's ICU converters (they sit
// behind pointers in the parser's structures), so leave them out.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

// Free memory that libxml2 allocated: xmlFree is a global function
// pointer, which Swift need not touch.
static inline void clx_free(void *pointer) { xmlFree(pointer); }
