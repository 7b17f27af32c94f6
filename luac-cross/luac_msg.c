/*
** luac_msg.c: turns an error message from stock Lua (either dialect's
** front end) into luac.cross's one-line diagnostic. Lua's text already
** names file and line; bytes that are not printable ASCII (from binary
** input) are shown as \xNN so the line stays one readable line.
** May call: lfs_diag, libc.
*/
#include "luac-cross/luac_front.h"

#include <stdio.h>
#include <string.h>

int luac_fail_lua_message(lfs_diag_t *d, int code, const char *msg, size_t n)
{
    char clean[400];
    size_t k = 0;
    if (!msg) {
        msg = "(error object is not a string)";
        n = strlen(msg);
    }
    for (size_t i = 0; i < n && k + 5 < sizeof clean; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c >= 32 && c < 127)
            clean[k++] = (char)c;
        else
            k += (size_t)snprintf(clean + k, sizeof clean - k, "\\x%02x", c);
    }
    clean[k] = 0;
    d->file = NULL;
    return lfs_fail(d, -1, code, "%s", clean);
}
