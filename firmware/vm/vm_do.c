/*
** vm_do.c: calls and returns, the Lua stack and the call-info vector,
** protected execution (setjmp/longjmp), coroutine resume and yield, and
** loading chunks, with Lua 5.1's rules: Lua-to-Lua calls run in the same
** interpreter loop; C functions and metamethods nest on the C stack
** (at most 200 deep: "C stack overflow"); a coroutine may yield only from
** a C function called straight from its Lua code ("attempt to yield
** across metamethod/C-call boundary"), so not across pcall.
** Error handlers form one chain on the C stack (a host static, not a VM
** object: C stack addresses are host pointers); the innermost always
** belongs to the running thread. The C call depth is g->nCcalls, shared
** by all threads; resume records it in the thread (baseCcalls). An error
** restores it, and whether a __gc loop or a message handler runs (vm_gc.c,
** vm_err.c), to their values where the protected call began.
** When the call-info vector or a stack cannot grow for a call, the error
** is "stack overflow" (what lua5.1 says when recursion runs away; the
** device runs out of heap long before 20000 calls). A stack that cannot
** grow leaves no room for xpcall's message handler, so that error skips
** the handler, as a memory error does: the message stays "stack
** overflow". Only when it happens inside a handler that would be called
** again (one that keeps failing) is it "error in error handling", where
** lua5.1 ends such a chain too.
** Spec: Lua 5.1 manual §2.11 (coroutines), §3.7 (lua_call...).
** Twin: none. May call: vm_mem, vm_func, vm_tab, vm_tm, vm_gc, vm_err,
** vm51_exec, vm51_undump, vm_state (config), libc setjmp.
*/
#include "firmware/vm/vm_core.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

struct vm_jmp {
    struct vm_jmp *prev;
    jmp_buf b;
    volatile int status;
};

static struct vm_jmp *errorJmp;

VM_NORETURN void vm_do_throw(vm_State *L, int status)
{
    if (errorJmp) {
        errorJmp->status = status;
        longjmp(errorJmp->b, 1);
    }
    L->status = (uint8_t)status;
    const char *msg = "?";
    if (L_top(L) > L_base(L) && tv_isstr(L_top(L) - 1))
        msg = tv_svalue(L_top(L) - 1);
    fprintf(stderr, "PANIC: unprotected error in call to Lua API (%s)\n",
            msg);
    abort();
}

int vm_do_rawrunprotected(vm_State *L, vm_pfunc f, void *ud)
{
    struct vm_jmp lj;
    uint16_t oldnC = G(L)->nCcalls;
    uint8_t oldfin = G(L)->finalizing, oldhandling = G(L)->handling;
    lj.status = 0;
    lj.prev = errorJmp;
    errorJmp = &lj;
    if (setjmp(lj.b) == 0)
        f(L, ud);
    errorJmp = lj.prev;
    if (lj.status) {
        G(L)->nCcalls = oldnC;
        G(L)->finalizing = oldfin;
        G(L)->handling = oldhandling;
    }
    return lj.status;
}

static void seterrorobj(vm_State *L, int status, vm_tvalue_t *oldtop)
{
    switch (status) {
    case VM_ERRMEM:
        tv_setref(oldtop, G(L)->memerrmsg, VM_TSTRING);
        break;
    case VM_ERRERR: {
        ptrdiff_t at = savestack(L, oldtop);
        vm_string_t *ts = vm_str_newz(L, "error in error handling");
        oldtop = restorestack(L, at);
        tv_setobj(ts, oldtop, VM_TSTRING);
        break;
    }
    default:
        *oldtop = *(L_top(L) - 1);
        break;
    }
    L_settop(L, oldtop + 1);
}

/* ---- the stack --------------------------------------------------------- */

static void correctstack(vm_State *L, plat_ref_t oldstack)
{
    uint32_t d = L->stack - oldstack;
    L->top += d;
    L->base += d;
    for (plat_ref_t r = L->openupval; r;) {
        vm_upval_t *uv = VM_P(vm_upval_t, r);
        uv->v += d;
        r = uv->next;
    }
    for (vm_callinfo_t *ci = L_baseci(L); ci <= L_ci(L); ci++) {
        ci->top += d;
        ci->base += d;
        ci->func += d;
    }
}

/* The stack cannot grow: raise "stack overflow" without using more of
** it (the message goes in the EXTRA_STACK reserve above stack_last) and
** without the message handler, which would need more of it; inside a
** handler that would run again, "error in error handling". */
VM_NORETURN static void stackoverflow(vm_State *L)
{
    char buf[VM_IDSIZE + 48];
    vm_callinfo_t *ci = L_ci(L);
    buf[0] = 0;
    if (ci_isLua(ci))
        vm_dbg_where(L, ci, buf, sizeof buf - 16);
    strcat(buf, "stack overflow");
    vm_string_t *ts = vm_str_newz(L, buf);
    vm_tvalue_t *last = VM_P(vm_tvalue_t, L->stack_last);
    if (L_top(L) > last + 1)
        L_settop(L, last + 1);
    tv_setobj(ts, L_top(L), VM_TSTRING);
    L_incrtop(L);
    vm_do_throw(L, L->errfunc != 0 && G(L)->handling ? VM_ERRERR
                                                      : VM_ERRRUN);
}

/* 0 if the heap cannot hold the new stack. Shrinking is done in place
** (the block keeps its address: pointers into the stack stay valid, so
** any collection may shrink), growing moves the stack. */
static int tryreallocstack(vm_State *L, int newsize)
{
    int realsize = newsize + 1 + VM_EXTRA_STACK;
    if (realsize <= L->stacksize) {
        vm_mem_realloc(L, L_stack(L), (size_t)realsize * sizeof(vm_tvalue_t));
        L->stacksize = realsize;
        L->stack_last = plat_ref(L_stack(L) + newsize);
        return 1;
    }
    vm_tvalue_t *ns = vm_mem_tryalloc(L, (size_t)realsize *
                                      sizeof(vm_tvalue_t));
    if (!ns)
        return 0;
    /* a collection may have shrunk the old stack meanwhile */
    vm_tvalue_t *old = L_stack(L);
    int keep = L->stacksize;
    memcpy(ns, old, (size_t)keep * sizeof(vm_tvalue_t));
    for (int i = keep; i < realsize; i++)
        tv_setnil(&ns[i]);
    plat_ref_t oldref = L->stack;
    L->stack = plat_ref(ns);
    L->stacksize = realsize;
    L->stack_last = plat_ref(ns + newsize);
    correctstack(L, oldref);
    vm_mem_free(old);
    return 1;
}

void vm_do_reallocstack(vm_State *L, int newsize)
{
    if (!tryreallocstack(L, newsize))
        stackoverflow(L);
}

static int growsize(vm_State *L, int n)
{
    return n <= L->stacksize ? 2 * L->stacksize : L->stacksize + n;
}

void vm_do_growstack(vm_State *L, int n)
{
    int want = growsize(L, n);
    if (!tryreallocstack(L, want) &&
        !tryreallocstack(L, L->stacksize + n + VM_EXTRA_STACK))
        stackoverflow(L);
}

int vm_do_trycheckstack(vm_State *L, int n)
{
    if ((int32_t)(L->stack_last - L->top) >
        (int32_t)(n * sizeof(vm_tvalue_t)))
        return 1;
    return tryreallocstack(L, growsize(L, n)) ||
           tryreallocstack(L, L->stacksize + n + VM_EXTRA_STACK);
}

void vm_do_reallocci(vm_State *L, int newsize)
{
    if (newsize <= L->size_ci) {
        /* in place, as for the stack */
        vm_mem_realloc(L, L_baseci(L), (size_t)newsize *
                                       sizeof(vm_callinfo_t));
        L->size_ci = newsize;
        L->end_ci = plat_ref(L_baseci(L) + newsize - 1);
        return;
    }
    vm_callinfo_t *nc = vm_mem_tryalloc(L, (size_t)newsize *
                                        sizeof(vm_callinfo_t));
    if (!nc)
        stackoverflow(L);
    vm_callinfo_t *old = L_baseci(L);
    ptrdiff_t used = L_ci(L) - old;
    memcpy(nc, old, (size_t)L->size_ci * sizeof(vm_callinfo_t));
    L->base_ci = plat_ref(nc);
    L->size_ci = newsize;
    L->ci = plat_ref(nc + used);
    L->end_ci = plat_ref(nc + newsize - 1);
    vm_mem_free(old);
}

vm_callinfo_t *vm_do_growci(vm_State *L)
{
    if (L->size_ci > VM_MAXCALLS)
        vm_do_throw(L, VM_ERRERR);
    vm_do_reallocci(L, 2 * L->size_ci);
    if (L->size_ci > VM_MAXCALLS)
        vm_err_run(L, "stack overflow");
    L->ci += sizeof(vm_callinfo_t);
    return L_ci(L);
}

#define inc_ci vm_do_incci

/* ---- calls ------------------------------------------------------------- */

static vm_tvalue_t *tryfuncTM(vm_State *L, vm_tvalue_t *func)
{
    vm_tvalue_t tmp;
    const vm_tvalue_t *tm = vm_tm_getbyobj(L, func, VM_TM_CALL, &tmp);
    ptrdiff_t funcr = savestack(L, func);
    if (VM_BASETYPE(tm->tt) != VM_TFUNCTION)
        vm_err_type(L, func, "call");
    vm_tvalue_t f = *tm;
    vm_do_checkstack(L, 1);
    func = restorestack(L, funcr);
    for (vm_tvalue_t *p = L_top(L); p > func; p--)
        p[0] = p[-1];
    L_incrtop(L);
    *func = f;
    return func;
}

static vm_tvalue_t *adjust_varargs(vm_State *L, const vm_proto_t *p,
                                   int actual)
{
    int nfixargs = p->numparams;
    vm_table_t *htab = NULL;
    for (; actual < nfixargs; ++actual) {
        tv_setnil(L_top(L));
        L_incrtop(L);
    }
    if (p->is_vararg & LC51_VARARG_NEEDSARG) {
        /* compatibility: the 'arg' table of extra arguments */
        int nvar = actual - nfixargs;
        vm_do_checkstack(L, p->maxstacksize + 1);
        htab = vm_tab_new(L, nvar, 1);
        vm_tvalue_t *top = L_top(L);
        tv_setobj(htab, top, VM_TTABLE);       /* anchored while filled */
        L_incrtop(L);
        for (int i = 0; i < nvar; i++)
            tv_set(vm_tab_setnum(L, htab, i + 1), top - nvar + i);
        vm_string_t *n = vm_str_new(L, "n", 1);
        tv_setnum(vm_tab_setstr(L, htab, n), nvar);
        L->top -= sizeof(vm_tvalue_t);
    }
    vm_tvalue_t *fixed = L_top(L) - actual;
    vm_tvalue_t *base = L_top(L);
    for (int i = 0; i < nfixargs; i++) {
        *L_top(L) = fixed[i];
        L_incrtop(L);
        tv_setnil(&fixed[i]);
    }
    if (htab) {
        tv_setobj(htab, L_top(L), VM_TTABLE);
        L_incrtop(L);
    }
    return base;
}

int vm_do_precall(vm_State *L, vm_tvalue_t *func, int nresults)
{
    if (VM_BASETYPE(func->tt) != VM_TFUNCTION)
        func = tryfuncTM(L, func);
    ptrdiff_t funcr = savestack(L, func);
    L_ci(L)->savedpc = L->savedpc;
    if (func->tt == VM_TFUNCTION && !tv_cl(func)->isC) {
        vm_proto_t *p = cl_proto(tv_cl(func));
        vm_tvalue_t *base;
        vm_do_checkstack(L, p->maxstacksize);
        func = restorestack(L, funcr);
        if (!p->is_vararg) {
            base = func + 1;
            if (L_top(L) > base + p->numparams)
                L_settop(L, base + p->numparams);
        } else {
            int nargs = (int)(L_top(L) - func) - 1;
            vm_do_checkstack(L, p->maxstacksize + p->numparams);
            func = restorestack(L, funcr);
            nargs = (int)(L_top(L) - func) - 1;
            base = adjust_varargs(L, p, nargs);
            func = restorestack(L, funcr);
        }
        ptrdiff_t baser = savestack(L, base);
        vm_callinfo_t *ci = inc_ci(L);
        func = restorestack(L, funcr);
        base = restorestack(L, baser);
        ci->func = plat_ref(func);
        ci->base = L->base = plat_ref(base);
        vm_tvalue_t *top = base + p->maxstacksize;
        ci->top = plat_ref(top);
        L->savedpc = p->code;
        ci->tailcalls = 0;
        ci->nresults = nresults;
        for (vm_tvalue_t *st = L_top(L); st < top; st++)
            tv_setnil(st);
        L->top = ci->top;
        return VM_PCRLUA;
    }
    /* a C function or a light function */
    vm_do_checkstack(L, VM_MINSTACK);
    vm_callinfo_t *ci = inc_ci(L);
    func = restorestack(L, funcr);
    ci->func = plat_ref(func);
    ci->base = L->base = plat_ref(func + 1);
    ci->top = L->top + VM_MINSTACK * sizeof(vm_tvalue_t);
    ci->nresults = nresults;
    ci->tailcalls = 0;
    vm_CFunction f = func->tt == VM_TLIGHTFUNCTION
                         ? vm_rot_fn(func->value.p)
                         : vm_rot_fn(tv_cl(func)->u.c.f);
    int n = f(L);
    if (n < 0)
        return VM_PCRYIELD;
    vm_do_poscall(L, L_top(L) - n);
    return VM_PCRC;
}

int vm_do_poscall(vm_State *L, vm_tvalue_t *firstResult)
{
    vm_callinfo_t *ci = L_ci(L);
    L->ci -= sizeof(vm_callinfo_t);
    vm_tvalue_t *res = ci_func(ci);
    int wanted = ci->nresults;
    vm_tvalue_t *top = L_top(L);
    L->base = ci[-1].base;
    L->savedpc = ci[-1].savedpc;
    int i;
    for (i = wanted; i != 0 && firstResult < top; i--)
        *res++ = *firstResult++;
    while (i-- > 0)
        tv_setnil(res++);
    L_settop(L, res);
    return wanted - VM_MULTRET;
}

void vm_do_call(vm_State *L, vm_tvalue_t *func, int nresults)
{
    vm_global_t *g = G(L);
    if (++g->nCcalls >= VM_MAXCCALLS) {
        if (g->nCcalls == VM_MAXCCALLS)
            vm_err_run(L, "C stack overflow");
        else if (g->nCcalls >= VM_MAXCCALLS + (VM_MAXCCALLS >> 3))
            vm_do_throw(L, VM_ERRERR);
    }
    if (vm_do_precall(L, func, nresults) == VM_PCRLUA)
        vm51_execute(L, 1);
    g = G(L);
    g->nCcalls--;
    vm_gc_check(L);
}

int vm_do_pcall(vm_State *L, vm_pfunc f, void *ud, ptrdiff_t oldtop,
                ptrdiff_t ef)
{
    uint16_t oldnC = G(L)->nCcalls;
    ptrdiff_t oldci = (char *)L_ci(L) - (char *)L_baseci(L);
    int32_t olderr = L->errfunc;
    L->errfunc = (int32_t)ef;
    int status = vm_do_rawrunprotected(L, f, ud);
    if (status != 0) {
        vm_tvalue_t *top = restorestack(L, oldtop);
        vm_func_close(L, top);
        seterrorobj(L, status, top);
        G(L)->nCcalls = oldnC;
        L->ci = L->base_ci + (plat_ref_t)oldci;
        L->base = L_ci(L)->base;
        L->savedpc = L_ci(L)->savedpc;
        if (L->size_ci > VM_MAXCALLS) {
            int inuse = (int)(L_ci(L) - L_baseci(L));
            if (inuse + 1 < VM_MAXCALLS)
                vm_do_reallocci(L, VM_MAXCALLS);
        }
        /* after a runaway recursion the heap needs its space back now */
        vm_gc_shrinkstack(L);
    }
    L->errfunc = olderr;
    return status;
}

/* ---- coroutines -------------------------------------------------------- */

static void resume(vm_State *L, void *ud)
{
    vm_tvalue_t *firstArg = ud;
    vm_callinfo_t *ci = L_ci(L);
    if (L->status == 0) {
        if (vm_do_precall(L, firstArg - 1, VM_MULTRET) != VM_PCRLUA)
            return;
    } else {
        L->status = 0;
        if (!ci_isLua(ci)) {
            /* finish the OP_CALL that called the yielding C function */
            if (vm_do_poscall(L, firstArg))
                L->top = L_ci(L)->top;
        } else {
            L->base = ci->base;
        }
    }
    vm51_execute(L, (int)(L_ci(L) - L_baseci(L)));
}

static int resume_error(vm_State *L, const char *msg)
{
    L->top = L_ci(L)->base;
    vm_string_t *ts = vm_str_newz(L, msg);
    tv_setobj(ts, L_top(L), VM_TSTRING);
    L_incrtop(L);
    return VM_ERRRUN;
}

int vm_do_resume(vm_State *L, int nargs)
{
    vm_global_t *g = G(L);
    if (L->status != VM_YIELD && (L->status != 0 || L->ci != L->base_ci))
        return resume_error(L, "cannot resume non-suspended coroutine");
    if (g->nCcalls >= VM_MAXCCALLS)
        return resume_error(L, "C stack overflow");
    L->baseCcalls = ++g->nCcalls;
    int status = vm_do_rawrunprotected(L, resume, L_top(L) - nargs);
    g = G(L);
    if (status != 0) {
        L->status = (uint8_t)status;
        seterrorobj(L, status, L_top(L));
        L_ci(L)->top = L->top;
    } else {
        status = L->status;
    }
    --g->nCcalls;
    return status;
}

int vm_do_yield(vm_State *L, int nresults)
{
    if (G(L)->nCcalls > L->baseCcalls)
        vm_err_run(L, "attempt to yield across metamethod/C-call boundary");
    L->base = L->top - (uint32_t)nresults * sizeof(vm_tvalue_t);
    L->status = VM_YIELD;
    return -1;
}

/* ---- loading ----------------------------------------------------------- */

struct loadarg {
    const char *buf;
    size_t n;
    const char *name;
};

static void set_source(vm_proto_t *p, plat_ref_t old, plat_ref_t src)
{
    if (!vm_isram(plat_ref(p)))
        return;
    if (p->source == old || !p->source)
        p->source = src;
    plat_ref_t *kids = VM_P(plat_ref_t, p->p);
    for (int i = 0; i < p->sizep; i++)
        set_source(VM_P(vm_proto_t, kids[i]), old, src);
}

/* Undump a compiler's output; its Protos take the chunk name. */
static void f_undump_source(vm_State *L, void *ud)
{
    struct loadarg *a = ud;
    vm_proto_t *p = vm51_undump(L, (const uint8_t *)a->buf, a->n, a->name);
    plat_ref_t old = p->source;
    vm_string_t *src = vm_str_newz(L, a->name);
    set_source(p, old, plat_ref(src));
}

static void f_load(vm_State *L, void *ud)
{
    struct loadarg *a = ud;
    vm_proto_t *p;
    if (a->n > 0 && a->buf[0] == '\033') {
        p = vm51_undump(L, (const uint8_t *)a->buf, a->n, a->name);
    } else {
        const vm_config *cfg = vm_state_cfg();
        unsigned char *lc = NULL;
        size_t lclen = 0;
        char *err = NULL;
        if (!cfg->compile) {
            vm_str_push(L, "%s: source loading is not available on this"
                           " device (load .lc files)", a->name);
            vm_do_throw(L, VM_ERRSYNTAX);
        }
        if (cfg->compile(cfg->compile_ud, a->buf, a->n, a->name,
                         G(L)->integral, &lc, &lclen, &err)) {
            vm_string_t *ts = vm_str_newz(L, err ? err : "syntax error");
            free(err);
            free(lc);
            tv_setobj(ts, L_top(L), VM_TSTRING);
            L_incrtop(L);
            vm_do_throw(L, VM_ERRSYNTAX);
        }
        free(err);
        /* lc is host memory owned here: free it on every path */
        struct loadarg u = { (const char *)lc, lclen, a->name };
        int st = vm_do_rawrunprotected(L, f_undump_source, &u);
        free(lc);
        if (st)
            vm_do_throw(L, st);
        p = VM_P(vm_proto_t, (L_top(L) - 1)->value.gc);
    }
    /* the Proto is anchored at top - 1; the closure replaces it */
    vm_closure_t *cl = vm_func_newL(L, p->nups,
                                    (L->l_gt.tt == VM_TTABLE) ?
                                    L->l_gt.value.gc : 0);
    cl->u.l.p = plat_ref(p);
    tv_setobj(cl, L_top(L) - 1, VM_TFUNCTION);
    for (int i = 0; i < p->nups; i++) {
        vm_upval_t *uv = vm_func_newupval(L);
        cl->u.l.upvals[i] = plat_ref(uv);
    }
}

int vm_do_load(vm_State *L, const char *buf, size_t n, const char *name)
{
    struct loadarg a = { buf, n, name };
    int status = vm_do_pcall(L, f_load, &a, savestack(L, L_top(L)),
                             L->errfunc);
    return status;
}
