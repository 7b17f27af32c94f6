/*
** luac_lualib.c: what both front ends (luac_front51.c, luac_front53.c)
** share about Debian's stock Lua libraries: loading one by its Debian
** names with dlopen(RTLD_LOCAL), so two dialects never clash in one
** process; binding an entry point; the lua_dump writer into an lfs_buf;
** and turning Lua's error message into luac.cross's one-line diagnostic
** (bytes that are not printable ASCII, from binary input, become \xNN).
** May call: libdl, lfs_buf, lfs_diag, libc.
*/
#include "luac-cross/luac_front.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "lfs/lfs_buf.h"

void *luac_lualib_open(const char *ver, lfs_diag_t *d)
{
    char name[64];
    void *lib = NULL;
    for (int so0 = 1; so0 >= 0 && !lib; so0--) {
        snprintf(name, sizeof name, "liblua%s.so%s", ver, so0 ? ".0" : "");
        lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    }
    if (!lib)
        lfs_fail(d, -1, LFS_EIO, "cannot load liblua%s (%s); install the"
                 " Debian package liblua%s-0", ver, dlerror(), ver);
    return lib;
}

void luac_lualib_close(void *lib)
{
    dlclose(lib);
}

void *luac_lualib_sym(void *lib, const char *ver, const char *sym,
                      lfs_diag_t *d)
{
    void *p = dlsym(lib, sym);
    if (!p)
        lfs_fail(d, -1, LFS_EIO, "liblua%s lacks %s", ver, sym);
    return p;
}

int luac_lualib_writer(struct lua_State *L, const void *p, size_t n,
                       void *ud)
{
    (void)L;
    lfs_buf_put(ud, p, n);
    return ((lfs_buf_t *)ud)->err;
}

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
