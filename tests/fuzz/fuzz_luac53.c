/*
** fuzz_luac53.c: libFuzzer target for what luac.cross runs on Lua 5.3
** source text before Debian's liblua5.3 has seen it: the tokenizer and
** syntax scanner (luac_parse53, both modes) and the number rewrite
** (luac_fold53), whose output must again scan. The line below names the
** seed files for tools/run-fuzz.sh (relative to the vectors).
*/
// # seeds: src/lua53/*.lua src/lua51/*.lua
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "luac-cross/luac.h"
#include "luac-cross/luac_parse53.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    luac_parse53_t ps;
    lfs_diag_t d;
    char *out;
    size_t outlen;
    const char *src = (const char *)data;
    if (luac_parse53(src, size, 0, &ps) == 0)
        luac_parse53_free(&ps);
    lfs_diag_init(&d, "fuzz");
    if (luac_fold53(src, size, &d, &out, &outlen) == 0 && out) {
        if (luac_parse53(out, outlen, 1, &ps) != 0)
            abort();        /* a rewrite must stay scannable */
        luac_parse53_free(&ps);
        free(out);
    }
    return 0;
}
