#define _XOPEN_SOURCE 700
#include <wchar.h>
#include <stdint.h>
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include "CNcursesShim.h"

int shim_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }

static int codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

int shim_set_utf8_ctype(void) {
    if (setlocale(LC_CTYPE, "") && codeset_is_utf8()) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") && codeset_is_utf8()) return 1;
    return 0;
}
