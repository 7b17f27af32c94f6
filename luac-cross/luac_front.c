/*
** luac_front.c: the front end (see luac_front.h) for both dialects. It
** loads Debian's liblua5.1 or liblua5.3 with dlopen(RTLD_LOCAL), so two
** dialects never clash in one process and no Lua symbol is linked into
** luac.cross, and binds the few entry points it needs by name. What the
** dialects do differently: 5.3's loaders take a mode ("t": text only)
** and lua_dump a strip flag, its lua_pcall is lua_pcallk; host bytecode
** is read by lfs/lc51 or lfs/lc53, and for 5.3 it must have 8-byte
** integers and floats (what luac_check53 relies on).
** May call: libdl, liblua5.1 and liblua5.3 (dlopen), lfs/lc51, lfs/lc53,
** lfs_buf, lfs_diag, libc.
*/
#include "luac-cross/luac_front.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc51.h"
#include "lfs/lc53.h"
#include "lfs/lfs_buf.h"

typedef struct lua_State lua_State;
typedef int (*lua_Writer)(lua_State *, const void *, size_t, void *);
typedef int (*lua_KFunction)(lua_State *, int, intptr_t);

/* lua.h of Lua 5.1 and of Lua 5.3. */
#define LUA_TFUNCTION 6

struct luac_front {
    luac_lua_t lua;
    const char *ver;                    /* "5.1", "5.3" */
    void *lib;
    lua_State *(*newstate)(void);
    void (*close)(lua_State *);
    const char *(*tolstring)(lua_State *, int, size_t *);
    int (*type)(lua_State *, int);
    void (*openlibs)(lua_State *);
    /* Lua 5.1 */
    int (*loadbuffer)(lua_State *, const char *, size_t, const char *);
    int (*loadfile)(lua_State *, const char *);
    int (*dump51)(lua_State *, lua_Writer, void *);
    int (*pcall)(lua_State *, int, int, int);
    /* Lua 5.3 */
    int (*loadbufferx)(lua_State *, const char *, size_t, const char *,
                       const char *);
    int (*loadfilex)(lua_State *, const char *, const char *);
    int (*dump53)(lua_State *, lua_Writer, void *, int);
    int (*pcallk)(lua_State *, int, int, int, intptr_t, lua_KFunction);
};

/* Load liblua<ver> by its Debian names; NULL with d filled if missing. */
static void *lib_open(const char *ver, lfs_diag_t *d)
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

/* Set the function pointer at fn to the entry point sym; 0 with d filled
** if the library lacks it. */
static int bind(luac_front_t *fe, void *fn, const char *sym, lfs_diag_t *d)
{
    void *p = dlsym(fe->lib, sym);
    if (!p) {
        lfs_fail(d, -1, LFS_EIO, "liblua%s lacks %s", fe->ver, sym);
        return 0;
    }
    memcpy(fn, &p, sizeof p);       /* POSIX: data and code pointers */
    return 1;
}

luac_front_t *luac_front_open(luac_lua_t lua, lfs_diag_t *d)
{
    luac_front_t *fe = calloc(1, sizeof *fe);
    if (!fe) {
        lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        return NULL;
    }
    fe->lua = lua;
    fe->ver = lua == LUAC_LUA51 ? "5.1" : "5.3";
    fe->lib = lib_open(fe->ver, d);
    if (!fe->lib) {
        free(fe);
        return NULL;
    }
    int ok = bind(fe, &fe->newstate, "luaL_newstate", d) &&
             bind(fe, &fe->close, "lua_close", d) &&
             bind(fe, &fe->tolstring, "lua_tolstring", d) &&
             bind(fe, &fe->type, "lua_type", d) &&
             bind(fe, &fe->openlibs, "luaL_openlibs", d);
    if (ok && lua == LUAC_LUA51)
        ok = bind(fe, &fe->loadbuffer, "luaL_loadbuffer", d) &&
             bind(fe, &fe->loadfile, "luaL_loadfile", d) &&
             bind(fe, &fe->dump51, "lua_dump", d) &&
             bind(fe, &fe->pcall, "lua_pcall", d);
    else if (ok)
        ok = bind(fe, &fe->loadbufferx, "luaL_loadbufferx", d) &&
             bind(fe, &fe->loadfilex, "luaL_loadfilex", d) &&
             bind(fe, &fe->dump53, "lua_dump", d) &&
             bind(fe, &fe->pcallk, "lua_pcallk", d);
    if (!ok) {
        luac_front_close(fe);
        return NULL;
    }
    return fe;
}

void luac_front_close(luac_front_t *fe)
{
    if (!fe)
        return;
    if (fe->lib)
        dlclose(fe->lib);
    free(fe);
}

/* ---- the dialects' entry points ----------------------------------------- */

static int load_buffer(luac_front_t *fe, lua_State *L, const char *src,
                       size_t len, const char *chunkname)
{
    if (fe->lua == LUAC_LUA51)
        return fe->loadbuffer(L, src, len, chunkname);
    return fe->loadbufferx(L, src, len, chunkname, "t");
}

static int load_file(luac_front_t *fe, lua_State *L, const char *path)
{
    if (fe->lua == LUAC_LUA51)
        return fe->loadfile(L, path);
    return fe->loadfilex(L, path, NULL);
}

static int call(luac_front_t *fe, lua_State *L)
{
    if (fe->lua == LUAC_LUA51)
        return fe->pcall(L, 0, 1, 0);
    return fe->pcallk(L, 0, 1, 0, 0, NULL);
}

static int writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    lfs_buf_put(ud, p, n);
    return ((lfs_buf_t *)ud)->err;
}

/* lua_dump of the function on top of L's stack, with debug information;
** a C function dumps nothing. */
static void dump(luac_front_t *fe, lua_State *L, lfs_buf_t *b)
{
    if (fe->lua == LUAC_LUA51)
        fe->dump51(L, writer, b);
    else
        fe->dump53(L, writer, b, 0);
}

/* Read host bytecode into the model; hd says what is wrong with it. */
static int read_host(luac_front_t *fe, const lfs_buf_t *b, lfs_model_t *m,
                     lfs_diag_t *hd, lfs_proto_t **out)
{
    lc53_info_t info;
    if (fe->lua == LUAC_LUA51)
        return lc51_read(b->data, b->len, LC51_STOCK, m, hd, NULL, out);
    int rc = lc53_read(b->data, b->len, LC53_STOCK, m, hd, &info, out);
    if (!rc && (info.sizeof_integer != 8 || info.sizeof_number != 8))
        rc = lfs_fail(hd, 14, LFS_EFORMAT, "%d-byte integers and %d-byte"
                      " floats", info.sizeof_integer, info.sizeof_number);
    return rc;
}

/* ---- compiling and running ---------------------------------------------- */

/* Dump the function on top of L's stack and read it into the model. */
static int dump_top(luac_front_t *fe, lua_State *L, lfs_model_t *m,
                    lfs_diag_t *d, lfs_proto_t **out)
{
    lfs_buf_t b;
    lfs_diag_t hd;
    lfs_buf_init(&b);
    dump(fe, L, &b);
    if (b.len == 0 && !b.err) {
        lfs_buf_free(&b);
        return lfs_fail(d, -1, LFS_EFORMAT, "the -e script returned a C"
                        " function, which cannot be compiled; return a Lua"
                        " function");
    }
    if (b.err) {
        lfs_buf_free(&b);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    lfs_diag_init(&hd, "host bytecode");
    int rc = read_host(fe, &b, m, &hd, out);
    lfs_buf_free(&b);
    if (rc)
        return lfs_fail(d, hd.offset, rc, "liblua%s's bytecode is not what"
                        " luac.cross expects (%s); this Lua build is not"
                        " supported%s", fe->ver, hd.msg,
                        fe->lua == LUAC_LUA51 ? "" : " (it must have 64-bit"
                        " integers and doubles, as Debian's has)");
    return 0;
}

/* Fill d from Lua's message on top of L's stack, escaping the bytes that
** are not printable ASCII (from binary input); returns code. */
static int lua_error_text(luac_front_t *fe, lua_State *L, lfs_diag_t *d,
                          int code)
{
    char clean[400];
    size_t k = 0, n = 0;
    const char *msg = fe->tolstring(L, -1, &n);
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

int luac_front_compile(luac_front_t *fe, const char *src, size_t len,
                       const char *chunkname, lfs_model_t *m, lfs_diag_t *d,
                       lfs_proto_t **out)
{
    lua_State *L = fe->newstate();
    if (!L)
        return lfs_fail(d, -1, LFS_ENOMEM, "not enough memory for state");
    int rc = load_buffer(fe, L, src, len, chunkname);
    if (rc)
        rc = lua_error_text(fe, L, d, LFS_EFORMAT);
    else
        rc = dump_top(fe, L, m, d, out);
    fe->close(L);
    return rc;
}

int luac_front_run(luac_front_t *fe, const char *path, const char *src,
                   size_t len, lfs_model_t *m, lfs_diag_t *d,
                   lfs_proto_t **out)
{
    lua_State *L = fe->newstate();
    *out = NULL;
    if (!L)
        return lfs_fail(d, -1, LFS_ENOMEM, "not enough memory for state");
    fe->openlibs(L);
    int rc;
    if (src) {
        size_t cl = strlen(path) + 2;
        char *chunk = malloc(cl);
        if (!chunk) {
            fe->close(L);
            return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        }
        snprintf(chunk, cl, "@%s", path);
        rc = load_buffer(fe, L, src, len, chunk);
        free(chunk);
    } else {
        rc = load_file(fe, L, path);
    }
    if (!rc)
        rc = call(fe, L);
    if (rc)
        rc = lua_error_text(fe, L, d, LFS_EFORMAT);
    else if (fe->type(L, -1) == LUA_TFUNCTION)
        rc = dump_top(fe, L, m, d, out);
    fe->close(L);
    return rc;
}
