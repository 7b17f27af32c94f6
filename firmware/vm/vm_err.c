/*
** vm_err.c: raising errors Lua can see, worded as lua5.1 words them. A
** runtime error in Lua code is prefixed "short_src:line: " from the
** packed line info; the message handler of xpcall (errfunc) runs at the
** point of the error, before unwinding, flagged in g->handling (an error
** restores the flag as the protected call found it); a memory error takes
** the preallocated "not enough memory" and no handler.
** Spec: Lua 5.1 manual §2.7 (error handling). Twin: none.
** May call: vm_str, vm_dbg, vm_do.
*/
#include "firmware/vm/vm_core.h"

#include <stdio.h>

static void addinfo(vm_State *L)
{
    vm_callinfo_t *ci = L_ci(L);
    if (ci_isLua(ci)) {
        char buf[VM_IDSIZE + 24];
        vm_dbg_where(L, ci, buf, sizeof buf);
        vm_str_push(L, "%s%s", buf, tv_svalue(L_top(L) - 1));
        L->top -= sizeof(vm_tvalue_t);
        *(L_top(L) - 1) = *L_top(L);
    }
}

VM_NORETURN void vm_err_msg(vm_State *L)
{
    if (L->errfunc != 0) {
        vm_tvalue_t *errfunc = restorestack(L, L->errfunc);
        if (VM_BASETYPE(errfunc->tt) != VM_TFUNCTION)
            vm_do_throw(L, VM_ERRERR);
        vm_tvalue_t ef = *errfunc;
        if (!vm_do_trycheckstack(L, 2))
            vm_do_throw(L, VM_ERRERR);
        vm_tvalue_t *top = L_top(L);
        top[0] = top[-1];
        top[-1] = ef;
        L_incrtop(L);
        G(L)->handling = 1;
        vm_do_call(L, L_top(L) - 2, 1);
        G(L)->handling = 0;
    }
    vm_do_throw(L, VM_ERRRUN);
}

VM_NORETURN void vm_err_run(vm_State *L, const char *fmt, ...)
{
    va_list ap;
    if (!vm_do_trycheckstack(L, 16))
        vm_do_throw(L, VM_ERRMEM);
    va_start(ap, fmt);
    vm_str_vpush(L, fmt, ap);
    va_end(ap);
    addinfo(L);
    vm_err_msg(L);
}

static int isinstack(const vm_callinfo_t *ci, const vm_tvalue_t *o)
{
    return o >= ci_base(ci) && o < ci_top(ci);
}

VM_NORETURN void vm_err_type(vm_State *L, const vm_tvalue_t *o,
                             const char *op)
{
    const char *name = NULL;
    const char *t = vm_tm_typename(o->tt);
    vm_callinfo_t *ci = L_ci(L);
    const char *kind = isinstack(ci, o)
        ? vm51_dbg_objname(L, ci, (int)(o - L_base(L)), &name) : NULL;
    if (kind)
        vm_err_run(L, "attempt to %s %s '%s' (a %s value)", op, kind, name,
                   t);
    vm_err_run(L, "attempt to %s a %s value", op, t);
}

VM_NORETURN void vm_err_arith(vm_State *L, const vm_tvalue_t *p1,
                              const vm_tvalue_t *p2)
{
    vm_tvalue_t tmp;
    if (!vm_tm_tonumber(L, p1, &tmp))
        p2 = p1;
    vm_err_type(L, p2, "perform arithmetic on");
}

VM_NORETURN void vm_err_concat(vm_State *L, const vm_tvalue_t *p1,
                               const vm_tvalue_t *p2)
{
    if (tv_isstr(p1) || tv_isnum(p1))
        p1 = p2;
    vm_err_type(L, p1, "concatenate");
}

VM_NORETURN void vm_err_order(vm_State *L, const vm_tvalue_t *p1,
                              const vm_tvalue_t *p2)
{
    const char *t1 = vm_tm_typename(p1->tt);
    const char *t2 = vm_tm_typename(p2->tt);
    if (t1[2] == t2[2])
        vm_err_run(L, "attempt to compare two %s values", t1);
    vm_err_run(L, "attempt to compare %s with %s", t1, t2);
}

VM_NORETURN void vm_err_mem(vm_State *L)
{
    vm_do_throw(L, VM_ERRMEM);
}
