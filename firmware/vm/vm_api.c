/*
** vm_api.c: the C API of vm.h (lua.h's stack API with the vm_ prefix),
** plus the LFS entry points. Values are addressed by stack index or
** pseudo-index; everything a call creates is anchored on the stack before
** the next allocation (any allocation may run a collection). ROTables
** and light functions are tables and functions to every caller:
** vm_type says VM_TTABLE / VM_TFUNCTION.
** Spec: Lua 5.1 manual §3; docs/lfs51.md §5.3 (the LFS index function).
** Twin: none. May call: the core (vm_*.c), plat.
*/
#include "firmware/vm/vm_core.h"

#include <stdio.h>

#define api_incr_top(L) L_incrtop(L)

vm_tvalue_t *vm_api_index(vm_State *L, int idx)
{
    if (idx > 0) {
        vm_tvalue_t *o = L_base(L) + (idx - 1);
        return o >= L_top(L) ? (vm_tvalue_t *)&vm_nilobject : o;
    }
    if (idx > VM_REGISTRYINDEX)
        return L_top(L) + idx;
    switch (idx) {
    case VM_REGISTRYINDEX:
        return &G(L)->l_registry;
    case VM_ENVIRONINDEX: {
        vm_tvalue_t *f = ci_func(L_ci(L));
        if (L->ci != L->base_ci && f->tt == VM_TFUNCTION)
            tv_setref(&L->env, tv_cl(f)->env, VM_TTABLE);
        else
            L->env = L->l_gt;
        return &L->env;
    }
    case VM_GLOBALSINDEX:
        return &L->l_gt;
    default: {
        vm_tvalue_t *f = ci_func(L_ci(L));
        idx = VM_GLOBALSINDEX - idx;
        if (L->ci == L->base_ci || f->tt != VM_TFUNCTION ||
            !tv_cl(f)->isC || idx > tv_cl(f)->nupvalues)
            return (vm_tvalue_t *)&vm_nilobject;
        return &tv_cl(f)->u.c.upvalue[idx - 1];
    }
    }
}

#define index2adr vm_api_index

static plat_ref_t getcurrenv(vm_State *L)
{
    if (L->ci != L->base_ci) {
        vm_tvalue_t *f = ci_func(L_ci(L));
        if (f->tt == VM_TFUNCTION)
            return tv_cl(f)->env;
    }
    return L->l_gt.value.gc;
}

static void pushobj(vm_State *L, const vm_tvalue_t *o)
{
    *L_top(L) = *o;
    api_incr_top(L);
}

/* ---- ROTables, light functions, LFS ------------------------------------ */

void vm_pushrotable(vm_State *L, const vm_roentry *t)
{
    plat_ref_t r = vm_rot_ref(L, t);
    if (r)
        tv_setref(L_top(L), r, VM_TROTABLE);
    else
        tv_setnil(L_top(L));
    api_incr_top(L);
}

void vm_pushlightfunction(vm_State *L, vm_CFunction f)
{
    tv_setref(L_top(L), vm_rot_fntoken(f), VM_TLIGHTFUNCTION);
    api_incr_top(L);
}

void vm_pushlfsindex(vm_State *L)
{
    vm_global_t *g = G(L);
    if (!g->lfs_main) {
        vm_pushnil(L);
        return;
    }
    vm_closure_t *cl = vm_func_newL(L, 0, L->l_gt.value.gc);
    cl->u.l.p = G(L)->lfs_main;
    tv_setobj(cl, L_top(L), VM_TFUNCTION);
    api_incr_top(L);
}

void vm_pushlfsmodule(vm_State *L, const char *name)
{
    if (!G(L)->lfs_main) {
        vm_pushnil(L);
        return;
    }
    vm_pushlfsindex(L);
    vm_pushstring(L, name);
    vm_call(L, 1, 1);
    if (vm_type(L, -1) != VM_TFUNCTION) {
        vm_pop(L, 1);
        vm_pushnil(L);
    }
}

int vm_lfsinfo(vm_State *L, uint32_t *mapped, uint32_t *base,
               uint32_t *size, uint32_t *used)
{
    vm_global_t *g = G(L);
    if (mapped)
        *mapped = g->lfs_size ? PLAT_FLASH_MAPPED + g->lfs_base : 0;
    if (base)
        *base = g->lfs_base;
    if (size)
        *size = g->lfs_size;
    if (used)
        *used = g->lfs_main ? g->lfs_used : 0;
    return g->lfs_main != 0;
}

/* Every string of the RAM string table or the ROstrt. The array is
** sized first, so filling it allocates nothing (no collection can free
** or move a string meanwhile). */
int vm_getstrings(vm_State *L, int rom)
{
    vm_global_t *g = G(L);
    int n = 0, count = 0;
    if (rom && !g->ro_hash)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        g = G(L);
        uint32_t size = rom ? g->ro_size : g->strt_size;
        vm_table_t *t = pass ? tv_tab(L_top(L) - 1) : NULL;
        for (uint32_t i = 0; i < size; i++) {
            plat_ref_t r = rom ? plat_load32(g->ro_hash + 4 * i)
                               : VM_P(plat_ref_t, g->strt_hash)[i];
            for (; r; r = VM_P(vm_string_t, r)->next) {
                if (!pass) {
                    count++;
                } else if (n < count) {
                    vm_tvalue_t *slot = vm_tab_array(t) + n++;
                    tv_setref(slot, r, VM_TSTRING);
                }
            }
        }
        if (!pass)
            vm_createtable(L, count, 0);
    }
    return n;
}

/* ---- basic stack manipulation ------------------------------------------ */

int vm_gettop(vm_State *L)
{
    return (int)(L_top(L) - L_base(L));
}

void vm_settop(vm_State *L, int idx)
{
    if (idx >= 0) {
        vm_tvalue_t *want = L_base(L) + idx;
        for (vm_tvalue_t *t = L_top(L); t < want; t++)
            tv_setnil(t);
        L_settop(L, want);
    } else {
        L->top += (uint32_t)((idx + 1) * (int)sizeof(vm_tvalue_t));
    }
}

void vm_pushvalue(vm_State *L, int idx)
{
    pushobj(L, index2adr(L, idx));
}

void vm_remove(vm_State *L, int idx)
{
    vm_tvalue_t *p = index2adr(L, idx);
    vm_tvalue_t *top = L_top(L);
    while (++p < top)
        p[-1] = p[0];
    L->top -= sizeof(vm_tvalue_t);
}

void vm_insert(vm_State *L, int idx)
{
    vm_tvalue_t *p = index2adr(L, idx);
    vm_tvalue_t *top = L_top(L);
    for (vm_tvalue_t *q = top; q > p; q--)
        q[0] = q[-1];
    *p = *top;
}

void vm_replace(vm_State *L, int idx)
{
    vm_tvalue_t *top = L_top(L) - 1;
    if (idx == VM_ENVIRONINDEX) {
        vm_tvalue_t *f = ci_func(L_ci(L));
        if (L->ci == L->base_ci || f->tt != VM_TFUNCTION)
            vm_err_run(L, "no calling environment");
        if (top->tt != VM_TTABLE)
            vm_err_run(L, "table expected");
        tv_cl(f)->env = top->value.gc;
    } else {
        vm_tvalue_t *o = index2adr(L, idx);
        if (o != &vm_nilobject)
            *o = *top;
    }
    L->top -= sizeof(vm_tvalue_t);
}

int vm_checkstack(vm_State *L, int sz)
{
    if (sz > VM_MAXCSTACK || (L_top(L) - L_base(L)) + sz > VM_MAXCSTACK)
        return 0;
    if (sz > 0) {
        if (!vm_do_trycheckstack(L, sz))
            return 0;       /* the heap cannot hold it */
        vm_tvalue_t *want = L_top(L) + sz;
        if (ci_top(L_ci(L)) < want)
            L_ci(L)->top = plat_ref(want);
    }
    return 1;
}

void vm_xmove(vm_State *from, vm_State *to, int n)
{
    if (from == to)
        return;
    from->top -= (uint32_t)n * sizeof(vm_tvalue_t);
    vm_tvalue_t *src = L_top(from);
    for (int i = 0; i < n; i++) {
        *L_top(to) = src[i];
        L_incrtop(to);
    }
}

/* ---- access ------------------------------------------------------------ */

int vm_type(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    return o == &vm_nilobject ? VM_TNONE : (int)VM_BASETYPE(o->tt);
}

const char *vm_typename(vm_State *L, int tp)
{
    (void)L;
    return tp == VM_TNONE ? "no value" : vm_tm_typename((uint32_t)tp);
}

int vm_isnumber(vm_State *L, int idx)
{
    vm_tvalue_t n;
    return vm_tm_tonumber(L, index2adr(L, idx), &n) != NULL;
}

int vm_isstring(vm_State *L, int idx)
{
    int t = vm_type(L, idx);
    return t == VM_TSTRING || t == VM_TNUMBER;
}

int vm_iscfunction(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    return o->tt == VM_TLIGHTFUNCTION ||
           (o->tt == VM_TFUNCTION && tv_cl(o)->isC);
}

int vm_isrotable(vm_State *L, int idx)
{
    return index2adr(L, idx)->tt == VM_TROTABLE;
}

int vm_islightfunction(vm_State *L, int idx)
{
    return index2adr(L, idx)->tt == VM_TLIGHTFUNCTION;
}

int vm_rawequal(vm_State *L, int i1, int i2)
{
    vm_tvalue_t *o1 = index2adr(L, i1), *o2 = index2adr(L, i2);
    return o1 != &vm_nilobject && o2 != &vm_nilobject &&
           vm_tm_rawequal(o1, o2);
}

int vm_lessthan(vm_State *L, int i1, int i2)
{
    vm_tvalue_t *o1 = index2adr(L, i1), *o2 = index2adr(L, i2);
    if (o1 == &vm_nilobject || o2 == &vm_nilobject)
        return 0;
    return vm_tm_lessthan(L, o1, o2);
}

vm_Number vm_tonumber(vm_State *L, int idx)
{
    vm_tvalue_t n;
    const vm_tvalue_t *o = vm_tm_tonumber(L, index2adr(L, idx), &n);
    return o ? o->value.n : 0;
}

vm_Integer vm_tointeger(vm_State *L, int idx)
{
    vm_tvalue_t n;
    const vm_tvalue_t *o = vm_tm_tonumber(L, index2adr(L, idx), &n);
    return o ? vm_toint32(o->value.n) : 0;
}

int vm_toboolean(vm_State *L, int idx)
{
    return !tv_isfalse(index2adr(L, idx));
}

const char *vm_tolstring(vm_State *L, int idx, size_t *len)
{
    vm_tvalue_t *o = index2adr(L, idx);
    if (o->tt != VM_TSTRING) {
        if (o->tt != VM_TNUMBER || o == &vm_nilobject) {
            if (len)
                *len = 0;
            return NULL;
        }
        vm_str_tostring(L, o);
        vm_gc_check(L);
        o = index2adr(L, idx);
    }
    if (len)
        *len = tv_str(o)->len;
    return tv_svalue(o);
}

size_t vm_objlen(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    switch (o->tt) {
    case VM_TSTRING:
        return tv_str(o)->len;
    case VM_TUSERDATA:
        return tv_ud(o)->len;
    case VM_TTABLE:
        return (size_t)vm_tab_getn(tv_tab(o));
    case VM_TNUMBER:
        return vm_str_tostring(L, o) ? tv_str(o)->len : 0;
    default:
        return 0;
    }
}

vm_CFunction vm_tocfunction(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    if (o->tt == VM_TLIGHTFUNCTION)
        return vm_rot_fn(o->value.p);
    if (o->tt == VM_TFUNCTION && tv_cl(o)->isC)
        return vm_rot_fn(tv_cl(o)->u.c.f);
    return NULL;
}

void *vm_touserdata(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    if (o->tt == VM_TUSERDATA)
        return tv_ud(o) + 1;
    if (o->tt == VM_TLIGHTUSERDATA)
        return vm_rot_lightptr(o->value.p);
    return NULL;
}

vm_State *vm_tothread(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    return o->tt == VM_TTHREAD ? tv_th(o) : NULL;
}

uint32_t vm_toaddress(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    switch (o->tt) {
    case VM_TSTRING:
    case VM_TTABLE:
    case VM_TFUNCTION:
    case VM_TUSERDATA:
    case VM_TTHREAD:
    case VM_TROTABLE:
    case VM_TLIGHTFUNCTION:
    case VM_TLIGHTUSERDATA:
        return o->value.p;
    default:
        return 0;
    }
}

/* ---- push -------------------------------------------------------------- */

void vm_pushnil(vm_State *L)
{
    tv_setnil(L_top(L));
    api_incr_top(L);
}

void vm_pushnumber(vm_State *L, vm_Number n)
{
    tv_setnum(L_top(L), G(L)->integral ? (double)vm_toint32(n) : n);
    api_incr_top(L);
}

void vm_pushinteger(vm_State *L, vm_Integer n)
{
    tv_setnum(L_top(L), (double)n);
    api_incr_top(L);
}

void vm_pushlstring(vm_State *L, const char *s, size_t l)
{
    vm_gc_check(L);
    vm_string_t *ts = vm_str_new(L, s, l);
    tv_setobj(ts, L_top(L), VM_TSTRING);
    api_incr_top(L);
}

void vm_pushstring(vm_State *L, const char *s)
{
    if (!s)
        vm_pushnil(L);
    else
        vm_pushlstring(L, s, strlen(s));
}

const char *vm_pushvfstring(vm_State *L, const char *fmt, va_list ap)
{
    vm_gc_check(L);
    return vm_str_vpush(L, fmt, ap);
}

const char *vm_pushfstring(vm_State *L, const char *fmt, ...)
{
    va_list ap;
    vm_gc_check(L);
    va_start(ap, fmt);
    const char *s = vm_str_vpush(L, fmt, ap);
    va_end(ap);
    return s;
}

void vm_pushcclosure(vm_State *L, vm_CFunction fn, int n)
{
    vm_gc_check(L);
    vm_closure_t *cl = vm_func_newC(L, n, getcurrenv(L));
    cl->u.c.f = vm_rot_fntoken(fn);
    L->top -= (uint32_t)n * sizeof(vm_tvalue_t);
    vm_tvalue_t *top = L_top(L);
    for (int i = 0; i < n; i++)
        cl->u.c.upvalue[i] = top[i];
    tv_setobj(cl, top, VM_TFUNCTION);
    api_incr_top(L);
}

void vm_pushboolean(vm_State *L, int b)
{
    tv_setbool(L_top(L), b);
    api_incr_top(L);
}

void vm_pushlightuserdata(vm_State *L, void *p)
{
    tv_setref(L_top(L), vm_rot_lightud(p), VM_TLIGHTUSERDATA);
    api_incr_top(L);
}

int vm_pushthread(vm_State *L)
{
    tv_setobj(L, L_top(L), VM_TTHREAD);
    api_incr_top(L);
    return G(L)->mainthread == plat_ref(L);
}

/* ---- get --------------------------------------------------------------- */

void vm_gettable(vm_State *L, int idx)
{
    vm_tvalue_t *t = index2adr(L, idx);
    vm_tm_gettable(L, t, L_top(L) - 1, L_top(L) - 1);
}

void vm_getfield(vm_State *L, int idx, const char *k)
{
    vm_tvalue_t *t = index2adr(L, idx);
    if (t->tt == VM_TROTABLE) {
        /* no allocation: compare the key in place */
        const vm_roent_t *e = vm_rot_find(t->value.gc, k, strlen(k));
        if (e || !vm_rot_metatable(t->value.gc)) {
            if (e)
                vm_rot_value(L, e, L_top(L));
            else
                tv_setnil(L_top(L));
            api_incr_top(L);
            return;
        }
    }
    vm_string_t *ts = vm_str_newz(L, k);
    tv_setobj(ts, L_top(L), VM_TSTRING);
    api_incr_top(L);
    vm_tm_gettable(L, t, L_top(L) - 1, L_top(L) - 1);
}

void vm_rawget(vm_State *L, int idx)
{
    vm_tvalue_t *t = index2adr(L, idx);
    vm_tvalue_t tmp;
    if (t->tt == VM_TTABLE || t->tt == VM_TROTABLE) {
        const vm_tvalue_t *v = vm_tm_rawget(L, t, L_top(L) - 1, &tmp);
        *(L_top(L) - 1) = *v;
    } else {
        vm_err_run(L, "table expected");
    }
}

void vm_rawgeti(vm_State *L, int idx, int n)
{
    vm_tvalue_t *t = index2adr(L, idx);
    if (t->tt == VM_TTABLE)
        *L_top(L) = *vm_tab_getnum(tv_tab(t), n);
    else
        tv_setnil(L_top(L));
    api_incr_top(L);
}

void vm_createtable(vm_State *L, int narr, int nrec)
{
    vm_gc_check(L);
    vm_table_t *t = vm_tab_new(L, narr, nrec);
    tv_setobj(t, L_top(L), VM_TTABLE);
    api_incr_top(L);
}

void *vm_newuserdata(vm_State *L, size_t sz)
{
    vm_gc_check(L);
    if (sz > 0x7FFFFFF0u)
        vm_err_mem(L);
    vm_udata_t *u = vm_mem_alloc(L, sizeof(vm_udata_t) + sz);
    u->pad = 0;
    u->metatable = 0;
    u->env = getcurrenv(L);
    u->len = (uint32_t)sz;
    u->pad2 = 0;
    vm_gc_link(L, u, VM_TUSERDATA);
    tv_setobj(u, L_top(L), VM_TUSERDATA);
    api_incr_top(L);
    return u + 1;
}

int vm_getmetatable(vm_State *L, int objindex)
{
    plat_ref_t mt = vm_tm_metatable(L, index2adr(L, objindex));
    if (!mt)
        return 0;
    tv_setref(L_top(L), mt, vm_isram(mt) ? VM_TTABLE : VM_TROTABLE);
    api_incr_top(L);
    return 1;
}

void vm_getfenv(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    switch (o->tt) {
    case VM_TFUNCTION:
        tv_setref(L_top(L), tv_cl(o)->env, VM_TTABLE);
        break;
    case VM_TLIGHTFUNCTION:
        *L_top(L) = L->l_gt;
        break;
    case VM_TUSERDATA:
        tv_setref(L_top(L), tv_ud(o)->env, VM_TTABLE);
        break;
    case VM_TTHREAD:
        *L_top(L) = tv_th(o)->l_gt;
        break;
    default:
        tv_setnil(L_top(L));
        break;
    }
    api_incr_top(L);
}

/* ---- set --------------------------------------------------------------- */

void vm_settable(vm_State *L, int idx)
{
    vm_tvalue_t *t = index2adr(L, idx);
    vm_tm_settable(L, t, L_top(L) - 2, L_top(L) - 1);
    L->top -= 2 * sizeof(vm_tvalue_t);
}

void vm_setfield(vm_State *L, int idx, const char *k)
{
    vm_tvalue_t *t = index2adr(L, idx);
    vm_string_t *ts = vm_str_newz(L, k);
    tv_setobj(ts, L_top(L), VM_TSTRING);
    api_incr_top(L);
    vm_tm_settable(L, t, L_top(L) - 1, L_top(L) - 2);
    L->top -= 2 * sizeof(vm_tvalue_t);
}

void vm_rawset(vm_State *L, int idx)
{
    vm_tvalue_t *t = index2adr(L, idx);
    if (t->tt != VM_TTABLE)
        vm_err_run(L, t->tt == VM_TROTABLE ? "invalid write to ROM variable"
                                           : "table expected");
    vm_tvalue_t *slot = vm_tab_set(L, tv_tab(t), L_top(L) - 2);
    *slot = *(L_top(L) - 1);
    L->top -= 2 * sizeof(vm_tvalue_t);
}

void vm_rawseti(vm_State *L, int idx, int n)
{
    vm_tvalue_t *t = index2adr(L, idx);
    if (t->tt != VM_TTABLE)
        vm_err_run(L, t->tt == VM_TROTABLE ? "invalid write to ROM variable"
                                           : "table expected");
    vm_tvalue_t *slot = vm_tab_setnum(L, tv_tab(t), n);
    *slot = *(L_top(L) - 1);
    L->top -= sizeof(vm_tvalue_t);
}

int vm_setmetatable(vm_State *L, int objindex)
{
    vm_tvalue_t *obj = index2adr(L, objindex);
    vm_tvalue_t *mtv = L_top(L) - 1;
    plat_ref_t mt = 0;
    if (mtv->tt == VM_TTABLE || mtv->tt == VM_TROTABLE)
        mt = mtv->value.gc;
    else if (mtv->tt != VM_TNIL)
        vm_err_run(L, "table expected");
    switch (obj->tt) {
    case VM_TTABLE:
        tv_tab(obj)->metatable = mt;
        break;
    case VM_TUSERDATA:
        tv_ud(obj)->metatable = mt;
        break;
    case VM_TROTABLE:
        vm_err_run(L, "invalid write to ROM variable");
    default:
        G(L)->mt[VM_BASETYPE(obj->tt)] = mt;
        break;
    }
    L->top -= sizeof(vm_tvalue_t);
    return 1;
}

int vm_setfenv(vm_State *L, int idx)
{
    vm_tvalue_t *o = index2adr(L, idx);
    vm_tvalue_t *e = L_top(L) - 1;
    int res = 1;
    if (e->tt != VM_TTABLE)
        vm_err_run(L, "table expected");
    switch (o->tt) {
    case VM_TFUNCTION:
        tv_cl(o)->env = e->value.gc;
        break;
    case VM_TUSERDATA:
        tv_ud(o)->env = e->value.gc;
        break;
    case VM_TTHREAD:
        tv_th(o)->l_gt = *e;
        break;
    default:
        res = 0;
        break;
    }
    L->top -= sizeof(vm_tvalue_t);
    return res;
}

/* ---- calls ------------------------------------------------------------- */

static void adjustresults(vm_State *L, int nres)
{
    if (nres == VM_MULTRET && L_top(L) >= ci_top(L_ci(L)))
        L_ci(L)->top = L->top;
}

void vm_call(vm_State *L, int nargs, int nresults)
{
    vm_tvalue_t *func = L_top(L) - (nargs + 1);
    vm_do_call(L, func, nresults);
    adjustresults(L, nresults);
}

struct callarg {
    ptrdiff_t func;
    int nresults;
};

static void f_call(vm_State *L, void *ud)
{
    struct callarg *c = ud;
    vm_do_call(L, restorestack(L, c->func), c->nresults);
}

int vm_pcall(vm_State *L, int nargs, int nresults, int errfunc)
{
    struct callarg c;
    ptrdiff_t func = 0;
    if (errfunc != 0)
        func = savestack(L, index2adr(L, errfunc));
    c.func = savestack(L, L_top(L) - (nargs + 1));
    c.nresults = nresults;
    int status = vm_do_pcall(L, f_call, &c, c.func, func);
    adjustresults(L, nresults);
    return status;
}

struct cpcallarg {
    vm_CFunction func;
    void *ud;
};

static void f_Ccall(vm_State *L, void *ud)
{
    struct cpcallarg *c = ud;
    vm_closure_t *cl = vm_func_newC(L, 0, getcurrenv(L));
    cl->u.c.f = vm_rot_fntoken(c->func);
    tv_setobj(cl, L_top(L), VM_TFUNCTION);
    api_incr_top(L);
    tv_setref(L_top(L), vm_rot_lightud(c->ud), VM_TLIGHTUSERDATA);
    api_incr_top(L);
    vm_do_call(L, L_top(L) - 2, 0);
}

int vm_cpcall(vm_State *L, vm_CFunction func, void *ud)
{
    struct cpcallarg c = { func, ud };
    return vm_do_pcall(L, f_Ccall, &c, savestack(L, L_top(L)), 0);
}

int vm_loadbuffer(vm_State *L, const char *buf, size_t sz,
                  const char *chunkname)
{
    return vm_do_load(L, buf, sz, chunkname ? chunkname : "?");
}

int vm_dostring(vm_State *L, const char *s)
{
    int st = vm_loadbuffer(L, s, strlen(s), s);
    return st ? st : vm_pcall(L, 0, VM_MULTRET, 0);
}

/* ---- coroutines -------------------------------------------------------- */

vm_State *vm_newthread(vm_State *L)
{
    vm_gc_check(L);
    vm_State *L1 = vm_state_newthread(L);
    tv_setobj(L1, L_top(L), VM_TTHREAD);
    api_incr_top(L);
    return L1;
}

int vm_yield(vm_State *L, int nresults)
{
    return vm_do_yield(L, nresults);
}

int vm_resume(vm_State *L, int narg)
{
    return vm_do_resume(L, narg);
}

int vm_status(vm_State *L)
{
    return L->status;
}

/* ---- GC, misc ---------------------------------------------------------- */

int vm_gc(vm_State *L, int what, int data)
{
    return vm_gc_control(L, what, data);
}

int vm_error(vm_State *L)
{
    vm_err_msg(L);
}

int vm_next(vm_State *L, int idx)
{
    vm_tvalue_t *t = index2adr(L, idx);
    int more;
    if (t->tt == VM_TTABLE)
        more = vm_tab_next(L, tv_tab(t), L_top(L) - 1);
    else if (t->tt == VM_TROTABLE)
        more = vm_rot_next(L, t->value.gc, L_top(L) - 1);
    else
        vm_err_run(L, "table expected");
    if (more)
        api_incr_top(L);
    else
        L->top -= sizeof(vm_tvalue_t);
    return more;
}

void vm_concat(vm_State *L, int n)
{
    if (n >= 2) {
        vm_gc_check(L);
        vm_tm_concat(L, n, (int)(L_top(L) - L_base(L)) - 1);
        L->top -= (uint32_t)(n - 1) * sizeof(vm_tvalue_t);
    } else if (n == 0) {
        vm_pushlstring(L, "", 0);
    }
}

int vm_numtostr(vm_State *L, vm_Number n, char *buf)
{
    return vm_str_fromnum(G(L)->integral, n, buf);
}

int vm_integral(vm_State *L)
{
    return G(L)->integral;
}

void vm_heap(vm_State *L, vm_heapstats *st)
{
    (void)L;
    vm_mem_stats(st);
}
