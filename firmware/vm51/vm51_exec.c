/*
** vm51_exec.c: the Lua 5.1 interpreter: all 38 opcodes of the stock 5.1
** instruction set, run from Protos in flash (LFS, in place) or in RAM
** (.lc files) alike. Lua-to-Lua calls, returns and tail calls stay in
** this loop (reentry); C functions and metamethods go through vm_do.
** Dispatch is computed goto on gcc/clang.
**
** The loop is compiled twice from this one file: once for the float VM
** (constants are 12-byte TValues, read in place) and once for the integer
** VM (8-byte constants, converted as they are read; int32 arithmetic with
** wrap-around, / and % floored, NodeMCU's luaconf.h). vm51_execute picks
** one per state. The file includes itself with VM51_EXEC_PASS 0 and 1.
**
** Registers are host pointers (base) while the loop runs; anything that
** may reallocate the stack, raise an error or run a collection at a safe
** point is wrapped in PROTECT, which saves the pc first (error positions,
** lua5.1's Protect) and reloads base after.
** Spec: docs/lfs51.md §2.9 (instructions), §2.4 (constants), Lua 5.1 manual
** §2. Twin: vm51_undump.c (verifies what this runs). May call: vm_do,
** vm_tm, vm_tab, vm_func, vm_gc, vm_err, vm_str, libc math.
*/
#ifndef VM51_EXEC_PASS

#include "firmware/vm/vm_core.h"

#include <math.h>

/* An integer-VM constant as a RAM TValue. */
static inline const vm_tvalue_t *kconv(const vm_kvalue8_t *k, vm_tvalue_t *t)
{
    if (k->tt == VM_TNUMBER)
        tv_setnum(t, (int32_t)k->v);
    else
        tv_setref(t, k->v, k->tt);
    return t;
}

#define VM51_EXEC_PASS 0
#include "firmware/vm51/vm51_exec.c"
#undef VM51_EXEC_PASS
#define VM51_EXEC_PASS 1
#include "firmware/vm51/vm51_exec.c"
#undef VM51_EXEC_PASS

void vm51_execute(vm_State *L, int nexeccalls)
{
    if (G(L)->integral)
        execute_i(L, nexeccalls);
    else
        execute_f(L, nexeccalls);
}

#else /* VM51_EXEC_PASS: the loop */

#if VM51_EXEC_PASS == 0
#define EXEC execute_f
#else
#define EXEC execute_i
#endif

static void EXEC(vm_State *L, int nexeccalls)
{
    static const void *const disp[64] = {
        &&op_MOVE, &&op_LOADK, &&op_LOADBOOL, &&op_LOADNIL, &&op_GETUPVAL,
        &&op_GETGLOBAL, &&op_GETTABLE, &&op_SETGLOBAL, &&op_SETUPVAL,
        &&op_SETTABLE, &&op_NEWTABLE, &&op_SELF, &&op_ADD, &&op_SUB,
        &&op_MUL, &&op_DIV, &&op_MOD, &&op_POW, &&op_UNM, &&op_NOT,
        &&op_LEN, &&op_CONCAT, &&op_JMP, &&op_EQ, &&op_LT, &&op_LE,
        &&op_TEST, &&op_TESTSET, &&op_CALL, &&op_TAILCALL, &&op_RETURN,
        &&op_FORLOOP, &&op_FORPREP, &&op_TFORLOOP, &&op_SETLIST,
        &&op_CLOSE, &&op_CLOSURE, &&op_VARARG,
        &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD,
        &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD,
        &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD,
        &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD, &&op_BAD,
        &&op_BAD, &&op_BAD
    };
    vm_closure_t *cl;
    vm_tvalue_t *base;
    const uint32_t *pc;
    uint32_t i;
    vm_tvalue_t *ra;
#if VM51_EXEC_PASS == 0
    const vm_tvalue_t *k;
#define KST(x, tmp) (k + (x))
#else
    const vm_kvalue8_t *k;
    vm_tvalue_t kb, kc;
#define KST(x, tmp) kconv(k + (x), &(tmp))
#endif
#define RKB(i) (LC51_ISK(LC51_B(i)) ? KST(LC51_INDEXK(LC51_B(i)), kb) \
                                    : base + LC51_B(i))
#define RKC(i) (LC51_ISK(LC51_C(i)) ? KST(LC51_INDEXK(LC51_C(i)), kc) \
                                    : base + LC51_C(i))
#define PROTECT(x) { L->savedpc = plat_ref(pc); { x; } base = L_base(L); }
#define NEXT() do { i = *pc++; ra = base + LC51_A(i); \
                    goto *disp[LC51_OP(i)]; } while (0)
#define UPV(n) VM_P(vm_tvalue_t, VM_P(vm_upval_t, cl->u.l.upvals[n])->v)

reentry:
    cl = tv_cl(ci_func(L_ci(L)));
    {
        vm_proto_t *p = cl_proto(cl);
#if VM51_EXEC_PASS == 0
        k = VM_P(const vm_tvalue_t, p->k);
#else
        k = VM_P(const vm_kvalue8_t, p->k);
#endif
    }
    base = L_base(L);
    pc = VM_P(const uint32_t, L->savedpc);
    NEXT();

op_MOVE:
    *ra = base[LC51_B(i)];
    NEXT();
op_LOADK:
#if VM51_EXEC_PASS == 0
    *ra = k[LC51_BX(i)];
#else
    *ra = *kconv(k + LC51_BX(i), &kb);
#endif
    NEXT();
op_LOADBOOL:
    tv_setbool(ra, LC51_B(i));
    if (LC51_C(i))
        pc++;
    NEXT();
op_LOADNIL: {
    vm_tvalue_t *rb = base + LC51_B(i);
    do {
        tv_setnil(rb--);
    } while (rb >= ra);
    NEXT();
}
op_GETUPVAL:
    *ra = *UPV(LC51_B(i));
    NEXT();
op_GETGLOBAL: {
    vm_tvalue_t g, key = *KST(LC51_BX(i), kb);
    plat_ref_t env = cl->env;
    if (vm_isram(env)) {
        const vm_tvalue_t *res = vm_tab_getstr(VM_P(vm_table_t, env),
                                               tv_str(&key));
        if (!tv_isnil(res)) {
            *ra = *res;
            NEXT();
        }
    }
    tv_setref(&g, env, VM_TTABLE);
    PROTECT(vm_tm_gettable(L, &g, &key, ra));
    NEXT();
}
op_GETTABLE: {
    vm_tvalue_t *rb = base + LC51_B(i);
    const vm_tvalue_t *key = RKC(i);
    if (rb->tt == VM_TTABLE) {
        vm_table_t *h = tv_tab(rb);
        const vm_tvalue_t *res = vm_tab_get(h, key);
        if (!tv_isnil(res) || !h->metatable) {
            *ra = *res;
            NEXT();
        }
    }
    vm_tvalue_t kk = *key;
    PROTECT(vm_tm_gettable(L, rb, &kk, ra));
    NEXT();
}
op_SETGLOBAL: {
    vm_tvalue_t g, key = *KST(LC51_BX(i), kb);
    tv_setref(&g, cl->env, VM_TTABLE);
    PROTECT(vm_tm_settable(L, &g, &key, ra));
    NEXT();
}
op_SETUPVAL:
    *UPV(LC51_B(i)) = *ra;
    NEXT();
op_SETTABLE: {
    vm_tvalue_t key = *RKB(i), val = *RKC(i);
    if (ra->tt == VM_TTABLE && !tv_tab(ra)->metatable) {
        vm_table_t *h = tv_tab(ra);
        const vm_tvalue_t *old = vm_tab_get(h, &key);
        if (old != &vm_nilobject) {
            *(vm_tvalue_t *)old = val;
            h->flags = 0;
            NEXT();
        }
    }
    PROTECT(vm_tm_settable(L, ra, &key, &val));
    NEXT();
}
op_NEWTABLE: {
    int b = vm_fb2int(LC51_B(i)), c = vm_fb2int(LC51_C(i));
    PROTECT(
        vm_table_t *t = vm_tab_new(L, b, c);
        tv_setobj(t, base + LC51_A(i), VM_TTABLE);
        vm_gc_check(L));
    NEXT();
}
op_SELF: {
    vm_tvalue_t *rb = base + LC51_B(i);
    vm_tvalue_t key = *RKC(i);
    ra[1] = *rb;
    if (rb->tt == VM_TTABLE) {
        vm_table_t *h = tv_tab(rb);
        const vm_tvalue_t *res = vm_tab_get(h, &key);
        if (!tv_isnil(res) || !h->metatable) {
            *ra = *res;
            NEXT();
        }
    }
    PROTECT(vm_tm_gettable(L, rb, &key, ra));
    NEXT();
}

#if VM51_EXEC_PASS == 0
#define ARITH(op, tm) { \
    const vm_tvalue_t *rb = RKB(i), *rc = RKC(i); \
    if (rb->tt == VM_TNUMBER && rc->tt == VM_TNUMBER) { \
        double nb = rb->value.n, nc = rc->value.n; \
        tv_setnum(ra, op); \
    } else { \
        PROTECT(vm_tm_arith(L, ra, rb, rc, tm)); \
    } \
    NEXT(); }
op_ADD: ARITH(nb + nc, VM_TM_ADD)
op_SUB: ARITH(nb - nc, VM_TM_SUB)
op_MUL: ARITH(nb * nc, VM_TM_MUL)
op_DIV: ARITH(nb / nc, VM_TM_DIV)
op_MOD: ARITH(nb - floor(nb / nc) * nc, VM_TM_MOD)
op_POW: ARITH(pow(nb, nc), VM_TM_POW)
op_UNM: {
    vm_tvalue_t *rb = base + LC51_B(i);
    if (rb->tt == VM_TNUMBER)
        tv_setnum(ra, -rb->value.n);
    else
        PROTECT(vm_tm_arith(L, ra, rb, rb, VM_TM_UNM));
    NEXT();
}
#else
#define IARITH(op, tm) { \
    const vm_tvalue_t *rb = RKB(i), *rc = RKC(i); \
    if (rb->tt == VM_TNUMBER && rc->tt == VM_TNUMBER) { \
        uint32_t nb = (uint32_t)(int32_t)rb->value.n; \
        uint32_t nc = (uint32_t)(int32_t)rc->value.n; \
        tv_setnum(ra, (int32_t)(op)); \
    } else { \
        PROTECT(vm_tm_arith(L, ra, rb, rc, tm)); \
    } \
    NEXT(); }
#define ICHECKED(tm) { \
    const vm_tvalue_t *rb = RKB(i), *rc = RKC(i); \
    if (rb->tt == VM_TNUMBER && rc->tt == VM_TNUMBER) { \
        double r; \
        PROTECT(r = vm_tm_intarith(L, tm, rb->value.n, rc->value.n)); \
        tv_setnum(base + LC51_A(i), r); \
    } else { \
        PROTECT(vm_tm_arith(L, ra, rb, rc, tm)); \
    } \
    NEXT(); }
op_ADD: IARITH(nb + nc, VM_TM_ADD)
op_SUB: IARITH(nb - nc, VM_TM_SUB)
op_MUL: IARITH(nb * nc, VM_TM_MUL)
op_DIV: ICHECKED(VM_TM_DIV)
op_MOD: ICHECKED(VM_TM_MOD)
op_POW: ICHECKED(VM_TM_POW)
op_UNM: {
    vm_tvalue_t *rb = base + LC51_B(i);
    if (rb->tt == VM_TNUMBER)
        tv_setnum(ra, (int32_t)(0u - (uint32_t)(int32_t)rb->value.n));
    else
        PROTECT(vm_tm_arith(L, ra, rb, rb, VM_TM_UNM));
    NEXT();
}
#endif
op_NOT: {
    int res = tv_isfalse(base + LC51_B(i));
    tv_setbool(ra, res);
    NEXT();
}
op_LEN: {
    vm_tvalue_t *rb = base + LC51_B(i);
    if (rb->tt == VM_TTABLE)
        tv_setnum(ra, vm_tab_getn(tv_tab(rb)));
    else if (rb->tt == VM_TSTRING)
        tv_setnum(ra, tv_str(rb)->len);
    else
        PROTECT(vm_tm_objlen(L, ra, rb));
    NEXT();
}
op_CONCAT: {
    int b = LC51_B(i), c = LC51_C(i);
    PROTECT(vm_tm_concat(L, c - b + 1, c); vm_gc_check(L));
    base[LC51_A(i)] = base[b];
    NEXT();
}
op_JMP:
    pc += LC51_SBX(i);
    NEXT();
op_EQ: {
    const vm_tvalue_t *rb = RKB(i), *rc = RKC(i);
    int eq;
    if (rb->tt != rc->tt)
        eq = 0;
    else if (rb->tt == VM_TTABLE || rb->tt == VM_TUSERDATA)
        PROTECT(eq = vm_tm_equal(L, rb, rc))
    else
        eq = vm_tm_rawequal(rb, rc);
    if (eq == LC51_A(i))
        pc += LC51_SBX(*pc);
    pc++;
    NEXT();
}
op_LT: {
    const vm_tvalue_t *rb = RKB(i), *rc = RKC(i);
    int r;
    if (rb->tt == VM_TNUMBER && rc->tt == VM_TNUMBER)
        r = rb->value.n < rc->value.n;
    else
        PROTECT(r = vm_tm_lessthan(L, rb, rc))
    if (r == LC51_A(i))
        pc += LC51_SBX(*pc);
    pc++;
    NEXT();
}
op_LE: {
    const vm_tvalue_t *rb = RKB(i), *rc = RKC(i);
    int r;
    if (rb->tt == VM_TNUMBER && rc->tt == VM_TNUMBER)
        r = rb->value.n <= rc->value.n;
    else
        PROTECT(r = vm_tm_lessequal(L, rb, rc))
    if (r == LC51_A(i))
        pc += LC51_SBX(*pc);
    pc++;
    NEXT();
}
op_TEST:
    if (tv_isfalse(ra) != LC51_C(i))
        pc += LC51_SBX(*pc);
    pc++;
    NEXT();
op_TESTSET: {
    vm_tvalue_t *rb = base + LC51_B(i);
    if (tv_isfalse(rb) != LC51_C(i)) {
        *ra = *rb;
        pc += LC51_SBX(*pc);
    }
    pc++;
    NEXT();
}
op_CALL: {
    int b = LC51_B(i);
    int nresults = LC51_C(i) - 1;
    if (b != 0)
        L_settop(L, ra + b);
    L->savedpc = plat_ref(pc);
    if (ra->tt == VM_TFUNCTION && !tv_cl(ra)->isC) {
        /* a Lua function with fixed parameters: vm_do_precall's work,
        ** without reloading the callee from the new frame */
        vm_closure_t *ncl = tv_cl(ra);
        vm_proto_t *np = cl_proto(ncl);
        if (!np->is_vararg) {
            L_ci(L)->savedpc = L->savedpc;
            if ((int32_t)(L->stack_last - L->top) <=
                (int32_t)(np->maxstacksize * sizeof(vm_tvalue_t))) {
                ptrdiff_t rr = savestack(L, ra);
                vm_do_growstack(L, np->maxstacksize);
                ra = restorestack(L, rr);
            }
            vm_tvalue_t *nbase = ra + 1;
            vm_tvalue_t *top = L_top(L);
            if (top > nbase + np->numparams)
                top = nbase + np->numparams;
            ptrdiff_t rr = savestack(L, ra);
            vm_callinfo_t *ci = vm_do_incci(L);
            ra = restorestack(L, rr);
            nbase = ra + 1;
            ci->func = plat_ref(ra);
            ci->base = L->base = plat_ref(nbase);
            vm_tvalue_t *ntop = nbase + np->maxstacksize;
            ci->top = plat_ref(ntop);
            ci->tailcalls = 0;
            ci->nresults = nresults;
            for (; top < ntop; top++)
                tv_setnil(top);
            L->top = ci->top;
            nexeccalls++;
            cl = ncl;
#if VM51_EXEC_PASS == 0
            k = VM_P(const vm_tvalue_t, np->k);
#else
            k = VM_P(const vm_kvalue8_t, np->k);
#endif
            base = nbase;
            pc = VM_P(const uint32_t, np->code);
            L->savedpc = np->code;
            NEXT();
        }
    }
    switch (vm_do_precall(L, ra, nresults)) {
    case VM_PCRLUA:
        nexeccalls++;
        goto reentry;
    case VM_PCRC:
        if (nresults >= 0)
            L->top = L_ci(L)->top;
        base = L_base(L);
        NEXT();
    default:
        return;
    }
}
op_TAILCALL: {
    int b = LC51_B(i);
    if (b != 0)
        L_settop(L, ra + b);
    L->savedpc = plat_ref(pc);
    switch (vm_do_precall(L, ra, VM_MULTRET)) {
    case VM_PCRLUA: {
        vm_callinfo_t *ci = L_ci(L) - 1;
        vm_tvalue_t *func = ci_func(ci);
        vm_tvalue_t *pfunc = ci_func(ci + 1);
        if (L->openupval)
            vm_func_close(L, ci_base(ci));
        vm_tvalue_t *nb = func + (ci_base(ci + 1) - pfunc);
        ci->base = L->base = plat_ref(nb);
        int aux;
        vm_tvalue_t *top = L_top(L);
        for (aux = 0; pfunc + aux < top; aux++)
            func[aux] = pfunc[aux];
        L_settop(L, func + aux);
        ci->top = L->top;
        ci->savedpc = L->savedpc;
        ci->tailcalls++;
        L->ci -= sizeof(vm_callinfo_t);
        goto reentry;
    }
    case VM_PCRC:
        base = L_base(L);
        NEXT();
    default:
        return;
    }
}
op_RETURN: {
    int b = LC51_B(i);
    if (b != 0)
        L_settop(L, ra + b - 1);
    if (L->openupval &&
        VM_P(vm_upval_t, L->openupval)->v >= plat_ref(base))
        vm_func_close(L, base);
    L->savedpc = plat_ref(pc);
    b = vm_do_poscall(L, ra);
    if (--nexeccalls == 0)
        return;
    if (b)
        L->top = L_ci(L)->top;
    goto reentry;
}
op_FORLOOP: {
#if VM51_EXEC_PASS == 0
    double step = ra[2].value.n;
    double idx = ra[0].value.n + step;
#else
    double step = ra[2].value.n;
    double idx = (int32_t)((uint32_t)(int32_t)ra[0].value.n +
                           (uint32_t)(int32_t)step);
#endif
    double limit = ra[1].value.n;
    if (0 < step ? idx <= limit : limit <= idx) {
        pc += LC51_SBX(i);
        tv_setnum(ra, idx);
        tv_setnum(ra + 3, idx);
    }
    NEXT();
}
op_FORPREP: {
    vm_tvalue_t tmp;
    const vm_tvalue_t *v;
    L->savedpc = plat_ref(pc);
    if (!(v = vm_tm_tonumber(L, ra, &tmp)))
        vm_err_run(L, "'for' initial value must be a number");
    ra[0] = *v;
    if (!(v = vm_tm_tonumber(L, ra + 1, &tmp)))
        vm_err_run(L, "'for' limit must be a number");
    ra[1] = *v;
    if (!(v = vm_tm_tonumber(L, ra + 2, &tmp)))
        vm_err_run(L, "'for' step must be a number");
    ra[2] = *v;
#if VM51_EXEC_PASS == 0
    tv_setnum(ra, ra[0].value.n - ra[2].value.n);
#else
    tv_setnum(ra, (int32_t)((uint32_t)(int32_t)ra[0].value.n -
                            (uint32_t)(int32_t)ra[2].value.n));
#endif
    pc += LC51_SBX(i);
    NEXT();
}
op_TFORLOOP: {
    vm_tvalue_t *cb = ra + 3;
    cb[2] = ra[2];
    cb[1] = ra[1];
    cb[0] = ra[0];
    L_settop(L, cb + 3);
    PROTECT(vm_do_call(L, cb, LC51_C(i)));
    L->top = L_ci(L)->top;
    cb = base + LC51_A(i) + 3;
    if (!tv_isnil(cb)) {
        cb[-1] = cb[0];
        pc += LC51_SBX(*pc);
    }
    pc++;
    NEXT();
}
op_SETLIST: {
    int n = LC51_B(i);
    uint32_t c = (uint32_t)LC51_C(i);
    if (n == 0)
        n = (int)(L_top(L) - ra) - 1;
    if (c == 0)
        c = *pc++;
    if (ra->tt == VM_TTABLE) {
        vm_table_t *h = tv_tab(ra);
        int64_t last = (int64_t)(c - 1) * LC51_FIELDS_PER_FLUSH + n;
        if (last > (1 << 26) || c == 0)
            PROTECT(vm_err_run(L, "table overflow"));
        if (last > h->sizearray)
            PROTECT(vm_tab_resizearray(L, h, (int)last));
        ra = base + LC51_A(i);
        for (; n > 0; n--)
            *vm_tab_setnum(L, h, (int)last--) = ra[n];
    }
    L->top = L_ci(L)->top;
    NEXT();
}
op_CLOSE:
    vm_func_close(L, ra);
    NEXT();
op_CLOSURE: {
    vm_proto_t *p = cl_proto(cl);
    vm_proto_t *np = VM_P(vm_proto_t, VM_P(plat_ref_t, p->p)[LC51_BX(i)]);
    int nup = np->nups;
    PROTECT(
        vm_closure_t *ncl = vm_func_newL(L, nup, cl->env);
        ncl->u.l.p = plat_ref(np);
        tv_setobj(ncl, base + LC51_A(i), VM_TFUNCTION);
        for (int j = 0; j < nup; j++, pc++) {
            uint32_t pi = *pc;
            if (LC51_OP(pi) == LC51_GETUPVAL) {
                ncl->u.l.upvals[j] = cl->u.l.upvals[LC51_B(pi)];
            } else {
                vm_upval_t *uv = vm_func_findupval(L, L_base(L) +
                                                   LC51_B(pi));
                ncl->u.l.upvals[j] = plat_ref(uv);
            }
            L->savedpc = plat_ref(pc + 1);
        }
        vm_gc_check(L));
    NEXT();
}
op_VARARG: {
    int b = LC51_B(i) - 1;
    vm_proto_t *p = cl_proto(cl);
    vm_tvalue_t *func = ci_func(L_ci(L));
    int n = (int)(base - func) - p->numparams - 1;
    if (b == VM_MULTRET) {
        PROTECT(vm_do_checkstack(L, n));
        ra = base + LC51_A(i);
        b = n;
        L_settop(L, ra + n);
    }
    for (int j = 0; j < b; j++) {
        if (j < n)
            ra[j] = base[j - n];
        else
            tv_setnil(&ra[j]);
    }
    NEXT();
}
op_BAD:
    PROTECT(vm_err_run(L, "bad opcode %d", LC51_OP(i)));
    NEXT();

#undef KST
#undef RKB
#undef RKC
#undef PROTECT
#undef NEXT
#undef UPV
#undef ARITH
#undef IARITH
#undef ICHECKED
}

#undef EXEC

#endif /* VM51_EXEC_PASS */
