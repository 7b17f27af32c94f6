/*
** vm_aux.c: the auxiliary library of vm.h (lauxlib's subset with the
** same messages: "bad argument #1 to 'insert' (table expected, got
** nil)", "calling 'x' on bad self ..."), string buffers, references,
** tostring()'s conversion and, on the host, loading files. Built on the
** public API only.
** Spec: Lua 5.1 manual §4 (the auxiliary library). Twin: none.
** May call: vm.h, libc (stdio for vm_loadfile, host only).
*/
#include "firmware/vm/vm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments --------------------------------------------------------- */

int vm_argerror(vm_State *L, int narg, const char *extramsg)
{
    vm_Debug ar;
    if (!vm_getstack(L, 0, &ar))
        return vm_errorf(L, "bad argument #%d (%s)", narg, extramsg);
    vm_getinfo(L, "n", &ar);
    if (strcmp(ar.namewhat, "method") == 0) {
        narg--;
        if (narg == 0)
            return vm_errorf(L, "calling '%s' on bad self (%s)", ar.name,
                             extramsg);
    }
    if (ar.name == NULL)
        ar.name = "?";
    return vm_errorf(L, "bad argument #%d to '%s' (%s)", narg, ar.name,
                     extramsg);
}

int vm_typerror(vm_State *L, int narg, const char *tname)
{
    const char *msg = vm_pushfstring(L, "%s expected, got %s", tname,
                                     vm_typenameat(L, narg));
    return vm_argerror(L, narg, msg);
}

static void tag_error(vm_State *L, int narg, int tag)
{
    vm_typerror(L, narg, vm_typename(L, tag));
}

const char *vm_checklstring(vm_State *L, int narg, size_t *l)
{
    const char *s = vm_tolstring(L, narg, l);
    if (!s)
        tag_error(L, narg, VM_TSTRING);
    return s;
}

const char *vm_optlstring(vm_State *L, int narg, const char *def, size_t *l)
{
    if (vm_type(L, narg) <= VM_TNIL) {
        if (l)
            *l = def ? strlen(def) : 0;
        return def;
    }
    return vm_checklstring(L, narg, l);
}

vm_Number vm_checknumber(vm_State *L, int narg)
{
    vm_Number d = vm_tonumber(L, narg);
    if (d == 0 && !vm_isnumber(L, narg))
        tag_error(L, narg, VM_TNUMBER);
    return d;
}

vm_Number vm_optnumber(vm_State *L, int narg, vm_Number def)
{
    return vm_type(L, narg) <= VM_TNIL ? def : vm_checknumber(L, narg);
}

vm_Integer vm_checkinteger(vm_State *L, int narg)
{
    vm_Integer d = vm_tointeger(L, narg);
    if (d == 0 && !vm_isnumber(L, narg))
        tag_error(L, narg, VM_TNUMBER);
    return d;
}

vm_Integer vm_optinteger(vm_State *L, int narg, vm_Integer def)
{
    return vm_type(L, narg) <= VM_TNIL ? def : vm_checkinteger(L, narg);
}

void vm_checkstack_msg(vm_State *L, int sz, const char *msg)
{
    if (!vm_checkstack(L, sz))
        vm_errorf(L, "stack overflow (%s)", msg);
}

void vm_checktype(vm_State *L, int narg, int t)
{
    if (vm_type(L, narg) != t)
        tag_error(L, narg, t);
}

void vm_checkany(vm_State *L, int narg)
{
    if (vm_type(L, narg) == VM_TNONE)
        vm_argerror(L, narg, "value expected");
}

int vm_checkoption(vm_State *L, int narg, const char *def,
                   const char *const lst[])
{
    const char *name = def ? vm_optstring(L, narg, def)
                           : vm_checkstring(L, narg);
    for (int i = 0; lst[i]; i++)
        if (strcmp(lst[i], name) == 0)
            return i;
    return vm_argerror(L, narg,
                       vm_pushfstring(L, "invalid option '%s'", name));
}

/* ---- metatables -------------------------------------------------------- */

int vm_newmetatable(vm_State *L, const char *tname)
{
    vm_getfield(L, VM_REGISTRYINDEX, tname);
    if (vm_type(L, -1) != VM_TNIL)
        return 0;
    vm_pop(L, 1);
    vm_newtable(L);
    vm_pushvalue(L, -1);
    vm_setfield(L, VM_REGISTRYINDEX, tname);
    return 1;
}

void *vm_checkudata(vm_State *L, int ud, const char *tname)
{
    void *p = vm_touserdata(L, ud);
    if (p != NULL && vm_type(L, ud) == VM_TUSERDATA) {
        if (vm_getmetatable(L, ud)) {
            vm_getfield(L, VM_REGISTRYINDEX, tname);
            if (vm_rawequal(L, -1, -2)) {
                vm_pop(L, 2);
                return p;
            }
        }
    }
    vm_typerror(L, ud, tname);
    return NULL;
}

int vm_getmetafield(vm_State *L, int obj, const char *e)
{
    if (!vm_getmetatable(L, obj))
        return 0;
    vm_pushstring(L, e);
    vm_rawget(L, -2);
    if (vm_type(L, -1) == VM_TNIL) {
        vm_pop(L, 2);
        return 0;
    }
    vm_remove(L, -2);
    return 1;
}

static int absindex(vm_State *L, int i)
{
    return (i > 0 || i <= VM_REGISTRYINDEX) ? i : vm_gettop(L) + i + 1;
}

/* lua.c's message handler: the message and debug.traceback. */
static int traceback(vm_State *L)
{
    if (!vm_isstring(L, 1))
        return 1;
    vm_getglobal(L, "debug");
    if (vm_type(L, -1) != VM_TTABLE) {
        vm_pop(L, 1);
        return 1;
    }
    vm_getfield(L, -1, "traceback");
    if (vm_type(L, -1) != VM_TFUNCTION) {
        vm_pop(L, 2);
        return 1;
    }
    vm_pushvalue(L, 1);
    vm_pushinteger(L, 2);
    vm_call(L, 2, 1);
    return 1;
}

int vm_pcalltrace(vm_State *L, int nargs, int nresults)
{
    int base = vm_gettop(L) - nargs;
    vm_pushcfunction(L, traceback);
    vm_insert(L, base);
    int status = vm_pcall(L, nargs, nresults, base);
    vm_remove(L, base);
    return status;
}

int vm_callmeta(vm_State *L, int obj, const char *e)
{
    obj = absindex(L, obj);
    if (!vm_getmetafield(L, obj, e))
        return 0;
    vm_pushvalue(L, obj);
    vm_call(L, 1, 1);
    return 1;
}

/* ---- errors ------------------------------------------------------------ */

void vm_where(vm_State *L, int lvl)
{
    vm_Debug ar;
    if (vm_getstack(L, lvl, &ar)) {
        vm_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            vm_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    vm_pushliteral(L, "");
}

int vm_errorf(vm_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vm_where(L, 1);
    vm_pushvfstring(L, fmt, ap);
    va_end(ap);
    vm_concat(L, 2);
    return vm_error(L);
}

/* ---- references -------------------------------------------------------- */

#define FREELIST_REF 0

int vm_ref(vm_State *L, int t)
{
    int ref;
    t = absindex(L, t);
    if (vm_type(L, -1) == VM_TNIL) {
        vm_pop(L, 1);
        return VM_REFNIL;
    }
    vm_rawgeti(L, t, FREELIST_REF);
    ref = (int)vm_tointeger(L, -1);
    vm_pop(L, 1);
    if (ref != 0) {
        vm_rawgeti(L, t, ref);
        vm_rawseti(L, t, FREELIST_REF);
    } else {
        ref = (int)vm_objlen(L, t) + 1;
    }
    vm_rawseti(L, t, ref);
    return ref;
}

void vm_unref(vm_State *L, int t, int ref)
{
    if (ref >= 0) {
        t = absindex(L, t);
        vm_rawgeti(L, t, FREELIST_REF);
        vm_rawseti(L, t, ref);
        vm_pushinteger(L, ref);
        vm_rawseti(L, t, FREELIST_REF);
    }
}

/* ---- tostring ---------------------------------------------------------- */

const char *vm_tolstring_meta(vm_State *L, int idx, size_t *len)
{
    idx = absindex(L, idx);
    if (vm_callmeta(L, idx, "__tostring")) {
        if (vm_type(L, -1) == VM_TSTRING)
            return vm_tolstring(L, -1, len);
        if (len)
            *len = 0;
        return NULL;    /* not a string: left on the stack as is */
    }
    switch (vm_type(L, idx)) {
    case VM_TNUMBER:
    case VM_TSTRING:
        vm_pushvalue(L, idx);
        break;
    case VM_TBOOLEAN:
        vm_pushstring(L, vm_toboolean(L, idx) ? "true" : "false");
        break;
    case VM_TNIL:
    case VM_TNONE:
        vm_pushliteral(L, "nil");
        break;
    default: {
        char buf[64];
        snprintf(buf, sizeof buf, "%s: 0x%08x", vm_typenameat(L, idx),
                 (unsigned)vm_toaddress(L, idx));
        vm_pushstring(L, buf);
        break;
    }
    }
    return vm_tolstring(L, -1, len);
}

/* ---- buffers ----------------------------------------------------------- */

#define BUFFLEN(B) ((size_t)((B)->p - (B)->buffer))
#define BUFFFREE(B) ((size_t)(VM_BUFFERSIZE - BUFFLEN(B)))
#define LIMIT (VM_MINSTACK / 2)

static int emptybuffer(vm_Buffer *B)
{
    size_t l = BUFFLEN(B);
    if (l == 0)
        return 0;
    vm_pushlstring(B->L, B->buffer, l);
    B->p = B->buffer;
    B->lvl++;
    return 1;
}

static void adjuststack(vm_Buffer *B)
{
    if (B->lvl > 1) {
        vm_State *L = B->L;
        int toget = 1;
        size_t toplen = vm_objlen(L, -1);
        do {
            size_t l = vm_objlen(L, -(toget + 1));
            if (B->lvl - toget + 1 >= LIMIT || toplen > l) {
                toplen += l;
                toget++;
            } else {
                break;
            }
        } while (toget < B->lvl);
        vm_concat(L, toget);
        B->lvl = B->lvl - toget + 1;
    }
}

void vm_buffinit(vm_State *L, vm_Buffer *B)
{
    B->L = L;
    B->p = B->buffer;
    B->lvl = 0;
}

char *vm_prepbuffer(vm_Buffer *B)
{
    if (emptybuffer(B))
        adjuststack(B);
    return B->buffer;
}

void vm_addlstring(vm_Buffer *B, const char *s, size_t l)
{
    while (l > 0) {
        size_t room = BUFFFREE(B);
        if (room == 0) {
            vm_prepbuffer(B);
            continue;
        }
        size_t k = l < room ? l : room;
        memcpy(B->p, s, k);
        B->p += k;
        s += k;
        l -= k;
    }
}

void vm_addstring(vm_Buffer *B, const char *s)
{
    vm_addlstring(B, s, strlen(s));
}

void vm_pushresult(vm_Buffer *B)
{
    emptybuffer(B);
    vm_concat(B->L, B->lvl);
    B->lvl = 1;
}

void vm_addvalue(vm_Buffer *B)
{
    vm_State *L = B->L;
    size_t vl;
    const char *s = vm_tolstring(L, -1, &vl);
    if (vl <= BUFFFREE(B)) {
        memcpy(B->p, s, vl);
        B->p += vl;
        vm_pop(L, 1);
    } else {
        if (emptybuffer(B))
            vm_insert(L, -2);
        B->lvl++;
        adjuststack(B);
    }
}

/* ---- files (host) ------------------------------------------------------ */

int vm_loadfile(vm_State *L, const char *filename)
{
#if defined(__XTENSA__)
    vm_pushfstring(L, "cannot open %s", filename ? filename : "stdin");
    return VM_ERRFILE;
#else
    FILE *f = filename ? fopen(filename, "rb") : stdin;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        vm_pushfstring(L, "cannot open %s: %s", filename, strerror(errno));
        return VM_ERRFILE;
    }
    for (;;) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 4096;
            char *nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                if (filename)
                    fclose(f);
                vm_pushfstring(L, "cannot read %s: out of memory",
                               filename ? filename : "stdin");
                return VM_ERRFILE;
            }
            buf = nb;
            cap = nc;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    int err = ferror(f);
    if (filename)
        fclose(f);
    if (err) {
        free(buf);
        vm_pushfstring(L, "cannot read %s", filename ? filename : "stdin");
        return VM_ERRFILE;
    }
    /* a first line starting with '#' is skipped, its newline kept so
    ** line numbers stay right (luaL_loadfile) */
    size_t skip = 0;
    if (n > 0 && buf[0] == '#')
        while (skip < n && buf[skip] != '\n')
            skip++;
    const char *start = buf + skip;
    size_t len = n - skip;
    if (skip > 0 && len > 1 && start[1] == '\033') {
        start++;
        len--;
    }
    char *name = malloc(strlen(filename ? filename : "stdin") + 2);
    if (!name) {
        free(buf);
        vm_pushliteral(L, "not enough memory");
        return VM_ERRMEM;
    }
    if (filename) {
        name[0] = '@';
        strcpy(name + 1, filename);
    } else {
        strcpy(name, "=stdin");
    }
    int st = vm_loadbuffer(L, start, len, name);
    free(name);
    free(buf);
    return st;
#endif
}
