#define _XOPEN_SOURCE 700
#include <wchar.h>
#include <stdint.h>
#include "CNcursesShim.h"

int shim_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }
