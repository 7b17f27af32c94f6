/*
** lib_base.c: Lua 5.1's basic functions as RAM globals (light functions,
** so they cost no heap; newproxy is a closure over its table of valid
** metatables): assert, collectgarbage, dofile, error, gcinfo, getfenv,
** getmetatable, ipairs, load, loadfile, loadstring, next, pairs, pcall,
** print (through vm_config.write), rawequal, rawget, rawset, select,
** setfenv, setmetatable, tonumber, tostring, type, unpack, xpcall,
** newproxy, _G and _VERSION, with lua5.1's messages.
** Spec: Lua 5.1 manual §5.1. Twin: none. May call: vm.h, libc.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/lib/lib.h"

static int b_print(vm_State *L)
{
    int n = vm_gettop(L);
    vm_getglobal(L, "tostring");
    for (int i = 1; i <= n; i++) {
        size_t l;
        vm_pushvalue(L, -1);
        vm_pushvalue(L, i);
        vm_call(L, 1, 1);
        const char *s = vm_tolstring(L, -1, &l);
        if (s == NULL)
            return vm_errorf(L, "'tostring' must return a string to"
                                " 'print'");
        if (i > 1)
            vm_writestring(L, "\t", 1);
        vm_writestring(L, s, l);
        vm_pop(L, 1);
    }
    vm_writestring(L, "\n", 1);
    return 0;
}

static int b_tonumber(vm_State *L)
{
    int base = vm_optint(L, 2, 10);
    if (base == 10) {
        vm_checkany(L, 1);
        if (vm_isnumber(L, 1)) {
            vm_pushnumber(L, vm_tonumber(L, 1));
            return 1;
        }
    } else {
        const char *s1 = vm_checkstring(L, 1);
        char *s2;
        vm_argcheck(L, 2 <= base && base <= 36, 2, "base out of range");
        unsigned long long n = strtoull(s1, &s2, base);
        if (s1 != s2) {
            while (isspace((unsigned char)*s2))
                s2++;
            if (*s2 == '\0') {
                if (vm_integral(L)) {
                    /* a 32-bit unsigned long, as the target's strtoul */
                    if (n > 0xFFFFFFFFull)
                        n = 0xFFFFFFFFull;
                    vm_pushinteger(L, (vm_Integer)(uint32_t)n);
                } else {
                    vm_pushnumber(L, (vm_Number)n);
                }
                return 1;
            }
        }
    }
    vm_pushnil(L);
    return 1;
}

static int b_error(vm_State *L)
{
    int level = vm_optint(L, 2, 1);
    vm_settop(L, 1);
    if (vm_isstring(L, 1) && level > 0) {
        vm_where(L, level);
        vm_pushvalue(L, 1);
        vm_concat(L, 2);
    }
    return vm_error(L);
}

static int b_getmetatable(vm_State *L)
{
    vm_checkany(L, 1);
    if (!vm_getmetatable(L, 1)) {
        vm_pushnil(L);
        return 1;
    }
    vm_getmetafield(L, 1, "__metatable");
    return 1;
}

static int b_setmetatable(vm_State *L)
{
    int t = vm_type(L, 2);
    vm_checktype(L, 1, VM_TTABLE);
    vm_argcheck(L, t == VM_TNIL || t == VM_TTABLE, 2,
                "nil or table expected");
    if (vm_getmetafield(L, 1, "__metatable"))
        vm_errorf(L, "cannot change a protected metatable");
    vm_settop(L, 2);
    vm_setmetatable(L, 1);
    return 1;
}

static void getfunc(vm_State *L, int opt)
{
    if (vm_type(L, 1) == VM_TFUNCTION) {
        vm_pushvalue(L, 1);
    } else {
        vm_Debug ar;
        int level = opt ? vm_optint(L, 1, 1) : vm_checkint(L, 1);
        vm_argcheck(L, level >= 0, 1, "level must be non-negative");
        if (vm_getstack(L, level, &ar) == 0)
            vm_argerror(L, 1, "invalid level");
        vm_getinfo(L, "f", &ar);
        if (vm_type(L, -1) == VM_TNIL)
            vm_errorf(L, "no function environment for tail call at level"
                         " %d", level);
    }
}

static int b_getfenv(vm_State *L)
{
    getfunc(L, 1);
    if (vm_iscfunction(L, -1))
        vm_pushvalue(L, VM_GLOBALSINDEX);
    else
        vm_getfenv(L, -1);
    return 1;
}

static int b_setfenv(vm_State *L)
{
    vm_checktype(L, 2, VM_TTABLE);
    getfunc(L, 0);
    vm_pushvalue(L, 2);
    if (vm_isnumber(L, 1) && vm_tonumber(L, 1) == 0) {
        vm_pushthread(L);
        vm_insert(L, -2);
        vm_setfenv(L, -2);
        return 0;
    }
    if (vm_iscfunction(L, -2) || vm_setfenv(L, -2) == 0)
        vm_errorf(L, "'setfenv' cannot change environment of given object");
    return 1;
}

static int b_rawequal(vm_State *L)
{
    vm_checkany(L, 1);
    vm_checkany(L, 2);
    vm_pushboolean(L, vm_rawequal(L, 1, 2));
    return 1;
}

static int b_rawget(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    vm_checkany(L, 2);
    vm_settop(L, 2);
    vm_rawget(L, 1);
    return 1;
}

static int b_rawset(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    vm_checkany(L, 2);
    vm_checkany(L, 3);
    vm_settop(L, 3);
    vm_rawset(L, 1);
    return 1;
}

static int b_gcinfo(vm_State *L)
{
    vm_pushinteger(L, vm_gc(L, VM_GCCOUNT, 0));
    return 1;
}

static int b_collectgarbage(vm_State *L)
{
    static const char *const opts[] = { "stop", "restart", "collect",
        "count", "step", "setpause", "setstepmul", NULL };
    static const int optsnum[] = { VM_GCSTOP, VM_GCRESTART, VM_GCCOLLECT,
        VM_GCCOUNT, VM_GCSTEP, VM_GCSETPAUSE, VM_GCSETSTEPMUL };
    int o = vm_checkoption(L, 1, "collect", opts);
    int ex = vm_optint(L, 2, 0);
    int res = vm_gc(L, optsnum[o], ex);
    switch (optsnum[o]) {
    case VM_GCCOUNT: {
        int b = vm_gc(L, VM_GCCOUNTB, 0);
        vm_pushnumber(L, res + ((vm_Number)b / 1024));
        return 1;
    }
    case VM_GCSTEP:
        vm_pushboolean(L, res);
        return 1;
    default:
        vm_pushnumber(L, res);
        return 1;
    }
}

static int b_type(vm_State *L)
{
    vm_checkany(L, 1);
    vm_pushstring(L, vm_typenameat(L, 1));
    return 1;
}

static int b_next(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    vm_settop(L, 2);
    if (vm_next(L, 1))
        return 2;
    vm_pushnil(L);
    return 1;
}

/* pairs' iterator: next's twin, a different function value (lua5.1's
** pairs returns its own closure of next, so pairs(t) ~= next). */
static int pairs_next(vm_State *L)
{
    return b_next(L);
}

static int b_pairs(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    vm_pushlightfunction(L, pairs_next);
    vm_pushvalue(L, 1);
    vm_pushnil(L);
    return 3;
}

static int ipairsaux(vm_State *L)
{
    int i = vm_checkint(L, 2);
    vm_checktype(L, 1, VM_TTABLE);
    i++;
    vm_pushinteger(L, i);
    vm_rawgeti(L, 1, i);
    return vm_type(L, -1) == VM_TNIL ? 0 : 2;
}

static int b_ipairs(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    vm_pushlightfunction(L, ipairsaux);
    vm_pushvalue(L, 1);
    vm_pushinteger(L, 0);
    return 3;
}

static int load_aux(vm_State *L, int status)
{
    if (status == 0)
        return 1;
    vm_pushnil(L);
    vm_insert(L, -2);
    return 2;
}

static int b_loadstring(vm_State *L)
{
    size_t l;
    const char *s = vm_checklstring(L, 1, &l);
    const char *chunkname = vm_optstring(L, 2, s);
    return load_aux(L, vm_loadbuffer(L, s, l, chunkname));
}

static int b_loadfile(vm_State *L)
{
    const char *fname = vm_optstring(L, 1, NULL);
    return load_aux(L, vm_loadfile(L, fname));
}

/* load(func): the pieces func returns, joined, then loaded. Called
** protected, as lua_load runs its reader. */
static int load_reader(vm_State *L)
{
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (;;) {
        vm_checkstack_msg(L, 2, "too many nested functions");
        vm_pushvalue(L, 1);
        vm_call(L, 0, 1);
        if (vm_type(L, -1) == VM_TNIL) {
            vm_pop(L, 1);
            break;
        }
        if (!vm_isstring(L, -1))
            return vm_errorf(L, "reader function must return a string");
        if (vm_objlen(L, -1) == 0) {
            vm_pop(L, 1);
            break;
        }
        vm_addvalue(&b);
    }
    vm_pushresult(&b);
    return 1;
}

static int b_load(vm_State *L)
{
    const char *cname = vm_optstring(L, 2, "=(load)");
    vm_checktype(L, 1, VM_TFUNCTION);
    vm_settop(L, 3);
    vm_pushlightfunction(L, load_reader);
    vm_pushvalue(L, 1);
    int status = vm_pcall(L, 1, 1, 0);
    if (status == 0) {
        size_t l;
        const char *s = vm_tolstring(L, -1, &l);
        status = vm_loadbuffer(L, s, l, cname);
        vm_remove(L, -2);
    }
    return load_aux(L, status);
}

static int b_dofile(vm_State *L)
{
    const char *fname = vm_optstring(L, 1, NULL);
    int n = vm_gettop(L);
    if (vm_loadfile(L, fname) != 0)
        vm_error(L);
    vm_call(L, 0, VM_MULTRET);
    return vm_gettop(L) - n;
}

static int b_assert(vm_State *L)
{
    vm_checkany(L, 1);
    if (!vm_toboolean(L, 1))
        return vm_errorf(L, "%s", vm_optstring(L, 2, "assertion failed!"));
    return vm_gettop(L);
}

static int b_unpack(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    int i = vm_optint(L, 2, 1);
    int e = vm_type(L, 3) <= VM_TNIL ? (int)vm_objlen(L, 1)
                                      : vm_checkint(L, 3);
    if (i > e)
        return 0;
    int64_t n = (int64_t)e - i + 1;
    if (n <= 0 || n >= INT32_MAX || !vm_checkstack(L, (int)n))
        return vm_errorf(L, "too many results to unpack");
    vm_rawgeti(L, 1, i);
    while (i++ < e)
        vm_rawgeti(L, 1, i);
    return (int)n;
}

static int b_select(vm_State *L)
{
    int n = vm_gettop(L);
    if (vm_type(L, 1) == VM_TSTRING && *vm_tostring(L, 1) == '#') {
        vm_pushinteger(L, n - 1);
        return 1;
    }
    int i = vm_checkint(L, 1);
    if (i < 0)
        i = n + i;
    else if (i > n)
        i = n;
    vm_argcheck(L, 1 <= i, 1, "index out of range");
    return n - i;
}

static int b_pcall(vm_State *L)
{
    vm_checkany(L, 1);
    int status = vm_pcall(L, vm_gettop(L) - 1, VM_MULTRET, 0);
    vm_pushboolean(L, status == 0);
    vm_insert(L, 1);
    return vm_gettop(L);
}

static int b_xpcall(vm_State *L)
{
    vm_checkany(L, 2);
    vm_settop(L, 2);
    vm_insert(L, 1);
    int status = vm_pcall(L, 0, VM_MULTRET, 1);
    vm_pushboolean(L, status == 0);
    vm_replace(L, 1);
    return vm_gettop(L);
}

static int b_tostring(vm_State *L)
{
    vm_checkany(L, 1);
    if (vm_callmeta(L, 1, "__tostring"))
        return 1;       /* whatever __tostring returned, as lua5.1 */
    vm_tolstring_meta(L, 1, NULL);
    return 1;
}

static int b_newproxy(vm_State *L)
{
    vm_settop(L, 1);
    vm_newuserdata(L, 0);
    if (vm_toboolean(L, 1) == 0)
        return 1;
    if (vm_type(L, 1) == VM_TBOOLEAN) {
        vm_newtable(L);
        vm_pushvalue(L, -1);
        vm_pushboolean(L, 1);
        vm_rawset(L, vm_upvalueindex(1));
    } else {
        int valid = 0;
        if (vm_getmetatable(L, 1)) {
            vm_rawget(L, vm_upvalueindex(1));
            valid = vm_toboolean(L, -1);
            vm_pop(L, 1);
        }
        vm_argcheck(L, valid, 1, "boolean or proxy expected");
        vm_getmetatable(L, 1);
    }
    vm_setmetatable(L, 2);
    return 1;
}

static const struct { const char *name; vm_CFunction f; } funcs[] = {
    { "assert", b_assert }, { "collectgarbage", b_collectgarbage },
    { "dofile", b_dofile }, { "error", b_error }, { "gcinfo", b_gcinfo },
    { "getfenv", b_getfenv }, { "getmetatable", b_getmetatable },
    { "loadfile", b_loadfile }, { "load", b_load },
    { "loadstring", b_loadstring }, { "next", b_next },
    { "pcall", b_pcall }, { "print", b_print }, { "rawequal", b_rawequal },
    { "rawget", b_rawget }, { "rawset", b_rawset }, { "select", b_select },
    { "setfenv", b_setfenv }, { "setmetatable", b_setmetatable },
    { "tonumber", b_tonumber }, { "tostring", b_tostring },
    { "type", b_type }, { "unpack", b_unpack }, { "xpcall", b_xpcall },
    { "ipairs", b_ipairs }, { "pairs", b_pairs },
};

int lib_base_open(vm_State *L)
{
    vm_pushvalue(L, VM_GLOBALSINDEX);
    vm_setglobal(L, "_G");
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        vm_pushlightfunction(L, funcs[i].f);
        vm_setglobal(L, funcs[i].name);
    }
    vm_pushliteral(L, "Lua 5.1");
    vm_setglobal(L, "_VERSION");
    /* newproxy's table of valid metatables: weak, its own metatable */
    vm_createtable(L, 0, 1);
    vm_pushvalue(L, -1);
    vm_setmetatable(L, -2);
    vm_pushliteral(L, "kv");
    vm_setfield(L, -2, "__mode");
    vm_pushcclosure(L, b_newproxy, 1);
    vm_setglobal(L, "newproxy");
    return 0;
}
