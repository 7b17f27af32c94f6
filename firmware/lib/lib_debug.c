/*
** lib_debug.c: the debug library of NodeMCU's Lua 5.1 firmware, as the
** ROTable lib_debug_tab: traceback (lua5.1's exact text), getinfo (options
** "nSluf"; 'L' is accepted and ignored), getlocal/setlocal,
** getupvalue/setupvalue, getmetatable/setmetatable, getregistry,
** getfenv/setfenv, sethook/gethook and NodeMCU's getstrings('RAM'|'ROM').
** The VM has no hooks: sethook records the hook for gethook, but it is
** never called. Stripped code (LFS, luac.cross -s) has no local or upvalue
** names: getlocal calls its locals "(*temporary)", as lua5.1 does for
** stripped code, and getupvalue answers nothing.
** Spec: Lua 5.1 manual §5.9; docs/lfs51.md §8 (debug.getstrings).
** May call: vm.h, libc.
*/
#include <string.h>

#include "firmware/lib/lib.h"

#define LEVELS_HEAD 12     /* frames shown before a "..." gap             */
#define LEVELS_TAIL 10     /* frames shown after it                       */
#define HOOKS_KEY "_HOOKS" /* registry: thread -> {func, mask, count}     */

/* The thread an optional first argument names; *arg is 1 if it did. */
static vm_State *thread_arg(vm_State *L, int *arg)
{
    if (vm_type(L, 1) == VM_TTHREAD) {
        *arg = 1;
        return vm_tothread(L, 1);
    }
    *arg = 0;
    return L;
}

/* ---- traceback ---------------------------------------------------------- */

/* Appends one "\n\tsource:line: in function 'f'" line for frame ar. */
static void add_frame(vm_Buffer *b, vm_State *L, vm_State *L1, vm_Debug *ar)
{
    vm_getinfo(L1, "Snl", ar);
    vm_addstring(b, "\n\t");
    vm_addstring(b, ar->short_src);
    vm_addchar(b, ':');
    if (ar->currentline > 0) {
        vm_pushfstring(L, "%d:", ar->currentline);
        vm_addvalue(b);
    }
    if (ar->namewhat != NULL && *ar->namewhat != '\0') {
        vm_pushfstring(L, " in function '%s'", ar->name ? ar->name : "?");
        vm_addvalue(b);
    } else if (*ar->what == 'm') {
        vm_addstring(b, " in main chunk");
    } else if (*ar->what == 'C' || *ar->what == 't') {
        vm_addstring(b, " ?");           /* C function or lost tail call */
    } else {
        vm_pushfstring(L, " in function <%s:%d>", ar->short_src,
                       ar->linedefined);
        vm_addvalue(b);
    }
}

/* debug.traceback([thread,] [message [, level]]): a message that is
** neither a string nor a number is returned untouched. */
static int db_traceback(vm_State *L)
{
    int arg, level, top, skipped = 0;
    vm_State *L1 = thread_arg(L, &arg);
    vm_Debug ar;
    vm_Buffer b;
    top = vm_gettop(L);
    if (vm_isnumber(L, arg + 2))
        level = (int)vm_tointeger(L, arg + 2);
    else
        level = L == L1 ? 1 : 0;    /* level 0 of L is traceback itself */
    if (top > arg + 1)
        vm_settop(L, arg + 1);
    if (top > arg && !vm_isstring(L, arg + 1))
        return 1;
    vm_buffinit(L, &b);
    if (top > arg) {
        vm_pushvalue(L, arg + 1);
        vm_addvalue(&b);
        vm_addchar(&b, '\n');
    }
    vm_addstring(&b, "stack traceback:");
    while (vm_getstack(L1, level, &ar)) {
        level++;
        if (!skipped && level > LEVELS_HEAD) {
            skipped = 1;
            if (vm_getstack(L1, level + LEVELS_TAIL, &ar)) {
                /* too deep: jump to the last LEVELS_TAIL frames */
                vm_addstring(&b, "\n\t...");
                while (vm_getstack(L1, level + LEVELS_TAIL, &ar))
                    level++;
                continue;
            }
            vm_getstack(L1, level - 1, &ar);
        }
        add_frame(&b, L, L1, &ar);
    }
    vm_pushresult(&b);
    return 1;
}

/* ---- getinfo, locals, upvalues ------------------------------------------ */

static void set_string(vm_State *L, const char *k, const char *v)
{
    vm_pushstring(L, v);
    vm_setfield(L, -2, k);
}

static void set_int(vm_State *L, const char *k, int v)
{
    vm_pushinteger(L, v);
    vm_setfield(L, -2, k);
}

/* Copies the options the VM answers into opts ('>' first if byfunc):
** each of "Slnuf" once; 'L' (active lines) is dropped. 0 if an option is
** unknown. */
static int parse_options(const char *s, int byfunc, char *opts)
{
    int n = 0;
    if (byfunc)
        opts[n++] = '>';
    for (; *s; s++) {
        if (*s == 'L')
            continue;
        if (strchr("Slnuf", *s) == NULL)
            return 0;
        if (memchr(opts, *s, (size_t)n) == NULL)
            opts[n++] = *s;
    }
    opts[n] = '\0';
    return 1;
}

/* debug.getinfo([thread,] function|level [, what]) */
static int db_getinfo(vm_State *L)
{
    vm_Debug ar;
    int arg, valid, byfunc;
    char opts[8];
    vm_State *L1 = thread_arg(L, &arg);
    const char *what = vm_optstring(L, arg + 2, "flnSu");
    byfunc = vm_type(L, arg + 1) == VM_TFUNCTION;
    valid = parse_options(what, byfunc, opts);
    if (vm_isnumber(L, arg + 1)) {
        if (!vm_getstack(L1, (int)vm_tointeger(L, arg + 1), &ar)) {
            vm_pushnil(L);                     /* level out of range */
            return 1;
        }
    } else if (!byfunc) {
        return vm_argerror(L, arg + 1, "function or level expected");
    }
    if (!valid)
        return vm_argerror(L, arg + 2, "invalid option");
    if (byfunc) {
        if (L1 != L)
            vm_checkstack(L1, 2);
        vm_pushvalue(L, arg + 1);
        vm_xmove(L, L1, 1);
    } else if (L1 != L) {
        vm_checkstack(L1, 1);
    }
    if (!vm_getinfo(L1, opts, &ar))
        return vm_argerror(L, arg + 2, "invalid option");
    vm_createtable(L, 0, 2);
    if (strchr(opts, 'S')) {
        set_string(L, "source", ar.source);
        set_string(L, "short_src", ar.short_src);
        set_int(L, "linedefined", ar.linedefined);
        set_int(L, "lastlinedefined", ar.lastlinedefined);
        set_string(L, "what", ar.what);
    }
    if (strchr(opts, 'l'))
        set_int(L, "currentline", ar.currentline);
    if (strchr(opts, 'u'))
        set_int(L, "nups", ar.nups);
    if (strchr(opts, 'n')) {
        set_string(L, "name", ar.name);
        set_string(L, "namewhat", ar.namewhat);
    }
    if (strchr(opts, 'f')) {
        if (L1 == L) {              /* the function sits below the table */
            vm_pushvalue(L, -2);
            vm_setfield(L, -2, "func");
            vm_remove(L, -2);
        } else {
            vm_xmove(L1, L, 1);
            vm_setfield(L, -2, "func");
        }
    }
    return 1;
}

/* debug.getlocal([thread,] level, n): name and value, or nil. */
static int db_getlocal(vm_State *L)
{
    vm_Debug ar;
    int arg, n;
    const char *name;
    vm_State *L1 = thread_arg(L, &arg);
    if (!vm_getstack(L1, vm_checkint(L, arg + 1), &ar))
        return vm_argerror(L, arg + 1, "level out of range");
    n = vm_checkint(L, arg + 2);
    if (L1 != L)
        vm_checkstack(L1, 1);
    name = vm_getlocal(L1, &ar, n);
    if (name == NULL) {
        vm_pushnil(L);
        return 1;
    }
    vm_xmove(L1, L, 1);
    vm_pushstring(L, name);
    vm_insert(L, -2);
    return 2;
}

/* debug.setlocal([thread,] level, n, value): the local's name or nil. */
static int db_setlocal(vm_State *L)
{
    vm_Debug ar;
    int arg, n;
    vm_State *L1 = thread_arg(L, &arg);
    if (!vm_getstack(L1, vm_checkint(L, arg + 1), &ar))
        return vm_argerror(L, arg + 1, "level out of range");
    n = vm_checkint(L, arg + 2);
    vm_checkany(L, arg + 3);
    vm_settop(L, arg + 3);
    if (L1 != L)
        vm_checkstack(L1, 1);
    vm_xmove(L, L1, 1);
    vm_pushstring(L, vm_setlocal(L1, &ar, n));    /* NULL pushes nil */
    return 1;
}

/* getupvalue/setupvalue: nothing for C functions and unknown upvalues. */
static int upvalue(vm_State *L, int get)
{
    const char *name;
    int n = vm_checkint(L, 2);
    vm_checktype(L, 1, VM_TFUNCTION);
    if (vm_iscfunction(L, 1))
        return 0;                 /* C upvalues are not Lua's business */
    name = get ? vm_getupvalue(L, 1, n) : vm_setupvalue(L, 1, n);
    if (name == NULL)
        return 0;
    vm_pushstring(L, name);
    if (get)
        vm_insert(L, -2);
    return get + 1;
}

static int db_getupvalue(vm_State *L)
{
    return upvalue(L, 1);
}

static int db_setupvalue(vm_State *L)
{
    vm_checkany(L, 3);
    vm_settop(L, 3);
    return upvalue(L, 0);
}

/* ---- metatables, environments, registry --------------------------------- */

static int db_getmetatable(vm_State *L)
{
    vm_checkany(L, 1);
    if (!vm_getmetatable(L, 1))
        vm_pushnil(L);
    return 1;
}

static int db_setmetatable(vm_State *L)
{
    int t = vm_type(L, 2);
    vm_argcheck(L, t == VM_TNIL || t == VM_TTABLE, 2,
                "nil or table expected");
    vm_settop(L, 2);
    vm_pushboolean(L, vm_setmetatable(L, 1));
    return 1;
}

static int db_getfenv(vm_State *L)
{
    vm_checkany(L, 1);
    vm_getfenv(L, 1);
    return 1;
}

static int db_setfenv(vm_State *L)
{
    vm_checktype(L, 2, VM_TTABLE);
    vm_settop(L, 2);
    if (vm_setfenv(L, 1) == 0)
        return vm_errorf(L, "'setfenv' cannot change environment of given"
                         " object");
    return 1;
}

static int db_getregistry(vm_State *L)
{
    vm_pushvalue(L, VM_REGISTRYINDEX);
    return 1;
}

/* ---- hooks: remembered, never called ------------------------------------ */

/* Weak keys, so a thread with a hook can still be collected. */
static const vm_roentry hooks_meta[] = {
    VM_RO_S("__mode", "k"),
    VM_RO_END
};

/* Pushes the registry's hook table, creating it on first use. */
static void push_hooks(vm_State *L)
{
    vm_getfield(L, VM_REGISTRYINDEX, HOOKS_KEY);
    if (vm_type(L, -1) == VM_TTABLE)
        return;
    vm_pop(L, 1);
    vm_createtable(L, 0, 1);
    vm_pushrotable(L, hooks_meta);
    vm_setmetatable(L, -2);
    vm_pushvalue(L, -1);
    vm_setfield(L, VM_REGISTRYINDEX, HOOKS_KEY);
}

/* Pushes the thread L1 as a value of L. */
static void push_thread(vm_State *L, vm_State *L1)
{
    if (L1 == L) {
        vm_pushthread(L);
    } else {
        vm_checkstack(L1, 1);
        vm_pushthread(L1);
        vm_xmove(L1, L, 1);
    }
}

/* debug.sethook([thread,] [func, mask [, count]]): no argument (or nil)
** turns the hook off. The VM calls no hooks; this only records them. */
static int db_sethook(vm_State *L)
{
    int arg, count = 0;
    char mask[4];
    vm_State *L1 = thread_arg(L, &arg);
    int off = vm_type(L, arg + 1) <= VM_TNIL;
    if (!off) {
        const char *s = vm_checkstring(L, arg + 2);
        int n = 0;
        vm_checktype(L, arg + 1, VM_TFUNCTION);
        count = vm_optint(L, arg + 3, 0);
        if (strchr(s, 'c'))
            mask[n++] = 'c';
        if (strchr(s, 'r'))
            mask[n++] = 'r';
        if (strchr(s, 'l'))
            mask[n++] = 'l';
        mask[n] = '\0';
    }
    push_hooks(L);
    push_thread(L, L1);
    if (off) {
        vm_pushnil(L);
    } else {
        vm_createtable(L, 3, 0);
        vm_pushvalue(L, arg + 1);
        vm_rawseti(L, -2, 1);
        vm_pushstring(L, mask);
        vm_rawseti(L, -2, 2);
        vm_pushinteger(L, count);
        vm_rawseti(L, -2, 3);
    }
    vm_rawset(L, -3);
    return 0;
}

/* debug.gethook([thread]): hook function, mask and count, as recorded
** (nil, "", 0 when there is none). */
static int db_gethook(vm_State *L)
{
    int arg;
    vm_State *L1 = thread_arg(L, &arg);
    push_hooks(L);
    push_thread(L, L1);
    vm_rawget(L, -2);
    if (vm_type(L, -1) != VM_TTABLE) {
        vm_pushnil(L);
        vm_pushliteral(L, "");
        vm_pushinteger(L, 0);
        return 3;
    }
    vm_rawgeti(L, -1, 1);
    vm_rawgeti(L, -2, 2);
    vm_rawgeti(L, -3, 3);
    return 3;
}

/* ---- NodeMCU: getstrings ------------------------------------------------ */

/* debug.getstrings('ROM'|'RAM'): a sorted array of the strings in the LFS
** string table ('ROM'; nothing without LFS) or the RAM string table (any
** other argument). Sorted with the global table.sort, as NodeMCU does. */
static int db_getstrings(vm_State *L)
{
    size_t n = 0;
    const char *opt = vm_type(L, 1) == VM_TSTRING ? vm_tolstring(L, 1, &n)
                                                  : NULL;
    int rom = opt != NULL && n == 3 && memcmp(opt, "ROM", 3) == 0;
    vm_settop(L, 0);
    if (vm_getstrings(L, rom) < 0)
        return 0;
    vm_getglobal(L, "table");
    if (vm_type(L, -1) == VM_TTABLE) {
        vm_getfield(L, -1, "sort");
        if (vm_type(L, -1) == VM_TFUNCTION) {
            vm_pushvalue(L, 1);
            vm_call(L, 1, 0);
        }
    }
    vm_settop(L, 1);
    return 1;
}

static const vm_roentry lib_debug_tab[] = {
    VM_RO_F("getfenv", db_getfenv),
    VM_RO_F("gethook", db_gethook),
    VM_RO_F("getinfo", db_getinfo),
    VM_RO_F("getlocal", db_getlocal),
    VM_RO_F("getmetatable", db_getmetatable),
    VM_RO_F("getregistry", db_getregistry),
    VM_RO_F("getstrings", db_getstrings),
    VM_RO_F("getupvalue", db_getupvalue),
    VM_RO_F("setfenv", db_setfenv),
    VM_RO_F("sethook", db_sethook),
    VM_RO_F("setlocal", db_setlocal),
    VM_RO_F("setmetatable", db_setmetatable),
    VM_RO_F("setupvalue", db_setupvalue),
    VM_RO_F("traceback", db_traceback),
    VM_RO_END
};

int lib_debug_open(vm_State *L)
{
    vm_pushrotable(L, lib_debug_tab);
    vm_setglobal(L, "debug");
    return 0;
}
