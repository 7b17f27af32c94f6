/*
** lib_coroutine.c: the coroutine library (create, resume, running,
** status, wrap, yield) as the ROTable lib_coroutine_tab, with lua5.1's
** rules and messages ("cannot resume dead coroutine", "coroutine
** expected", "Lua function expected").
** Spec: Lua 5.1 manual §5.2. Twin: none. May call: vm.h.
*/
#include "firmware/lib/lib.h"

enum { CO_RUN, CO_SUS, CO_NOR, CO_DEAD };

static const char *const statnames[] = { "running", "suspended", "normal",
                                         "dead" };

static int costatus(vm_State *L, vm_State *co)
{
    if (L == co)
        return CO_RUN;
    switch (vm_status(co)) {
    case VM_YIELD:
        return CO_SUS;
    case 0: {
        vm_Debug ar;
        if (vm_getstack(co, 0, &ar) > 0)
            return CO_NOR;
        if (vm_gettop(co) == 0)
            return CO_DEAD;
        return CO_SUS;
    }
    default:
        return CO_DEAD;
    }
}

static vm_State *getco(vm_State *L)
{
    vm_State *co = vm_tothread(L, 1);
    vm_argcheck(L, co, 1, "coroutine expected");
    return co;
}

static int auxresume(vm_State *L, vm_State *co, int narg)
{
    int status = costatus(L, co);
    if (!vm_checkstack(co, narg))
        vm_errorf(L, "too many arguments to resume");
    if (status != CO_SUS) {
        vm_pushfstring(L, "cannot resume %s coroutine", statnames[status]);
        return -1;
    }
    vm_xmove(L, co, narg);
    status = vm_resume(co, narg);
    if (status == 0 || status == VM_YIELD) {
        int nres = vm_gettop(co);
        if (!vm_checkstack(L, nres + 1))
            vm_errorf(L, "too many results to resume");
        vm_xmove(co, L, nres);
        return nres;
    }
    vm_xmove(co, L, 1);
    return -1;
}

static int co_resume(vm_State *L)
{
    vm_State *co = getco(L);
    int r = auxresume(L, co, vm_gettop(L) - 1);
    if (r < 0) {
        vm_pushboolean(L, 0);
        vm_insert(L, -2);
        return 2;
    }
    vm_pushboolean(L, 1);
    vm_insert(L, -(r + 1));
    return r + 1;
}

static int auxwrap(vm_State *L)
{
    vm_State *co = vm_tothread(L, vm_upvalueindex(1));
    int r = auxresume(L, co, vm_gettop(L));
    if (r < 0) {
        if (vm_isstring(L, -1)) {
            vm_where(L, 1);
            vm_insert(L, -2);
            vm_concat(L, 2);
        }
        vm_error(L);
    }
    return r;
}

static int co_create(vm_State *L)
{
    vm_argcheck(L, vm_type(L, 1) == VM_TFUNCTION && !vm_iscfunction(L, 1),
                1, "Lua function expected");
    vm_State *nl = vm_newthread(L);
    vm_pushvalue(L, 1);
    vm_xmove(L, nl, 1);
    return 1;
}

static int co_wrap(vm_State *L)
{
    co_create(L);
    vm_pushcclosure(L, auxwrap, 1);
    return 1;
}

static int co_yield(vm_State *L)
{
    return vm_yield(L, vm_gettop(L));
}

static int co_status(vm_State *L)
{
    vm_State *co = getco(L);
    vm_pushstring(L, statnames[costatus(L, co)]);
    return 1;
}

static int co_running(vm_State *L)
{
    if (vm_pushthread(L))
        vm_pushnil(L);
    return 1;
}

static const vm_roentry lib_coroutine_tab[] = {
    VM_RO_F("create", co_create),
    VM_RO_F("resume", co_resume),
    VM_RO_F("running", co_running),
    VM_RO_F("status", co_status),
    VM_RO_F("wrap", co_wrap),
    VM_RO_F("yield", co_yield),
    VM_RO_END
};

int lib_coroutine_open(vm_State *L)
{
    vm_pushrotable(L, lib_coroutine_tab);
    vm_setglobal(L, "coroutine");
    return 0;
}
