/*
** vm_tm.c: metatables and tag methods, and the generic operations that
** consult them, with Lua 5.1's rules: indexing through __index and
** __newindex chains (functions or tables, at most 100 links), equality
** (__eq only between two tables or two userdata with the same method),
** order (__lt; __le falling back to not __lt with swapped operands),
** concatenation, arithmetic with string coercion, and the length of
** values that are neither strings nor tables. Metatables may be RAM
** tables or ROTables; the absence of the first five events is cached in
** a RAM table's flags, as lua5.1 does.
** The integer VM's arithmetic follows NodeMCU's luaconf.h for
** LUA_NUMBER_INTEGRAL: int32 with wrap-around, / and % rounding toward
** minus infinity (a == (a / b) * b + a % b), a division or modulo by zero
** raising "divide by zero" / "modulo by zero" (the firmware's checked
** luai_lnumdiv/luai_lnummod, so the host never traps), and ^ by repeated
** squaring, 0 for a negative exponent.
** Spec: Lua 5.1 manual §2.8 (metatables). Twin: none.
** May call: vm_tab, vm_rot, vm_str, vm_do, vm_err, libc math.
*/
#include "firmware/vm/vm_core.h"

#include <math.h>

static const char *const typenames[] = {
    "nil", "boolean", "userdata", "number", "string", "table", "function",
    "userdata", "thread", "proto", "upval"
};

static const char *const tmnames[VM_TM_N] = {
    "__index", "__newindex", "__gc", "__mode", "__eq", "__add", "__sub",
    "__mul", "__div", "__mod", "__pow", "__unm", "__len", "__lt", "__le",
    "__concat", "__call"
};

const char *vm_tm_typename(uint32_t tt)
{
    tt = VM_BASETYPE(tt);
    return tt <= VM_TUPVAL ? typenames[tt] : "?";
}

void vm_tm_init(vm_State *L)
{
    vm_global_t *g = G(L);
    for (int i = 0; i < VM_TM_N; i++) {
        vm_string_t *ts = vm_str_newz(L, tmnames[i]);
        vm_str_fix(ts);
        g = G(L);
        g->tmname[i] = plat_ref(ts);
    }
}

plat_ref_t vm_tm_metatable(vm_State *L, const vm_tvalue_t *o)
{
    switch (o->tt) {
    case VM_TTABLE:
        return tv_tab(o)->metatable;
    case VM_TUSERDATA:
        return tv_ud(o)->metatable;
    case VM_TROTABLE:
        return vm_rot_metatable(o->value.gc);
    default:
        return G(L)->mt[VM_BASETYPE(o->tt)];
    }
}

const vm_tvalue_t *vm_tm_get(vm_State *L, plat_ref_t mt, vm_tms_t e,
                             vm_tvalue_t *tmp)
{
    if (!mt)
        return NULL;
    vm_global_t *g = G(L);
    vm_string_t *name = VM_P(vm_string_t, g->tmname[e]);
    if (vm_isram(mt)) {
        vm_table_t *t = VM_P(vm_table_t, mt);
        if (e <= VM_TM_EQ && (t->flags & (1u << e)))
            return NULL;
        const vm_tvalue_t *v = vm_tab_getstr(t, name);
        if (tv_isnil(v)) {
            if (e <= VM_TM_EQ)
                t->flags |= (uint8_t)(1u << e);
            return NULL;
        }
        return v;
    }
    const vm_roent_t *r = vm_rot_find(mt, str_data(name), name->len);
    if (!r)
        return NULL;
    vm_rot_value(L, r, tmp);
    return tv_isnil(tmp) ? NULL : tmp;
}

const vm_tvalue_t *vm_tm_getbyobj(vm_State *L, const vm_tvalue_t *o,
                                  vm_tms_t e, vm_tvalue_t *tmp)
{
    const vm_tvalue_t *v = vm_tm_get(L, vm_tm_metatable(L, o), e, tmp);
    return v ? v : &vm_nilobject;
}

/* ---- calling tag methods ----------------------------------------------- */

/* Call f(p1, p2) with one result, stored at res (a stack slot). */
static void callTMres(vm_State *L, vm_tvalue_t *res, const vm_tvalue_t *f,
                      const vm_tvalue_t *p1, const vm_tvalue_t *p2)
{
    vm_tvalue_t cf = *f, c1 = *p1, c2 = *p2;
    ptrdiff_t result = savestack(L, res);
    vm_do_checkstack(L, 3);
    vm_tvalue_t *top = L_top(L);
    top[0] = cf;
    top[1] = c1;
    top[2] = c2;
    L->top += 3 * sizeof(vm_tvalue_t);
    vm_do_call(L, top, 1);
    res = restorestack(L, result);
    L->top -= sizeof(vm_tvalue_t);
    *res = *L_top(L);
}

static void callTM(vm_State *L, const vm_tvalue_t *f, const vm_tvalue_t *p1,
                   const vm_tvalue_t *p2, const vm_tvalue_t *p3)
{
    vm_tvalue_t cf = *f, c1 = *p1, c2 = *p2, c3 = *p3;
    vm_do_checkstack(L, 4);
    vm_tvalue_t *top = L_top(L);
    top[0] = cf;
    top[1] = c1;
    top[2] = c2;
    top[3] = c3;
    L->top += 4 * sizeof(vm_tvalue_t);
    vm_do_call(L, top, 0);
}

static int call_binTM(vm_State *L, const vm_tvalue_t *p1,
                      const vm_tvalue_t *p2, vm_tvalue_t *res, vm_tms_t e)
{
    vm_tvalue_t tmp;
    const vm_tvalue_t *tm = vm_tm_getbyobj(L, p1, e, &tmp);
    if (tv_isnil(tm))
        tm = vm_tm_getbyobj(L, p2, e, &tmp);
    if (tv_isnil(tm))
        return 0;
    callTMres(L, res, tm, p1, p2);
    return 1;
}

/* ---- indexing ---------------------------------------------------------- */

const vm_tvalue_t *vm_tm_rawget(vm_State *L, const vm_tvalue_t *t,
                                const vm_tvalue_t *key, vm_tvalue_t *tmp)
{
    if (t->tt == VM_TTABLE)
        return vm_tab_get(tv_tab(t), key);
    vm_rot_get(L, t->value.gc, key, tmp);
    return tmp;
}

void vm_tm_gettable(vm_State *L, const vm_tvalue_t *t, vm_tvalue_t *key,
                    vm_tvalue_t *val)
{
    vm_tvalue_t cur, tmp;
    for (int loop = 0; loop < VM_MAXTAGLOOP; loop++) {
        const vm_tvalue_t *tm;
        if (t->tt == VM_TTABLE) {
            vm_table_t *h = tv_tab(t);
            const vm_tvalue_t *res = vm_tab_get(h, key);
            if (!tv_isnil(res) ||
                (tm = vm_tm_get(L, h->metatable, VM_TM_INDEX, &tmp)) == NULL) {
                *val = *res;
                return;
            }
        } else if (t->tt == VM_TROTABLE) {
            plat_ref_t r = t->value.gc;
            vm_tvalue_t v;
            ptrdiff_t at = savestack(L, val);
            if (vm_rot_get(L, r, key, &v) ||
                (tm = vm_tm_get(L, vm_rot_metatable(r), VM_TM_INDEX,
                                &tmp)) == NULL) {
                *restorestack(L, at) = v;
                return;
            }
        } else if (tv_isnil(tm = vm_tm_getbyobj(L, t, VM_TM_INDEX, &tmp))) {
            vm_err_type(L, t, "index");
        }
        if (VM_BASETYPE(tm->tt) == VM_TFUNCTION) {
            callTMres(L, val, tm, t, key);
            return;
        }
        cur = *tm;
        t = &cur;
    }
    vm_err_run(L, "loop in gettable");
}

void vm_tm_settable(vm_State *L, const vm_tvalue_t *t, vm_tvalue_t *key,
                    vm_tvalue_t *val)
{
    vm_tvalue_t cur, tmp;
    for (int loop = 0; loop < VM_MAXTAGLOOP; loop++) {
        const vm_tvalue_t *tm;
        if (t->tt == VM_TTABLE) {
            vm_table_t *h = tv_tab(t);
            vm_tvalue_t *old = vm_tab_set(L, h, key);
            if (!tv_isnil(old) ||
                (tm = vm_tm_get(L, h->metatable, VM_TM_NEWINDEX,
                                &tmp)) == NULL) {
                *old = *val;
                h->flags = 0;
                return;
            }
        } else if (t->tt == VM_TROTABLE) {
            vm_err_run(L, "invalid write to ROM variable");
        } else if (tv_isnil(tm = vm_tm_getbyobj(L, t, VM_TM_NEWINDEX,
                                                &tmp))) {
            vm_err_type(L, t, "index");
        }
        if (VM_BASETYPE(tm->tt) == VM_TFUNCTION) {
            callTM(L, tm, t, key, val);
            return;
        }
        cur = *tm;
        t = &cur;
    }
    vm_err_run(L, "loop in settable");
}

/* ---- comparison -------------------------------------------------------- */

int vm_tm_rawequal(const vm_tvalue_t *a, const vm_tvalue_t *b)
{
    if (a->tt != b->tt)
        return 0;
    switch (a->tt) {
    case VM_TNIL:
        return 1;
    case VM_TNUMBER:
        return a->value.n == b->value.n;
    case VM_TBOOLEAN:
        return a->value.b == b->value.b;
    default:
        return a->value.p == b->value.p;
    }
}

static const vm_tvalue_t *get_compTM(vm_State *L, plat_ref_t mt1,
                                     plat_ref_t mt2, vm_tms_t e,
                                     vm_tvalue_t *t1, vm_tvalue_t *t2)
{
    const vm_tvalue_t *tm1 = vm_tm_get(L, mt1, e, t1);
    if (!tm1)
        return NULL;
    if (mt1 == mt2)
        return tm1;
    const vm_tvalue_t *tm2 = vm_tm_get(L, mt2, e, t2);
    if (!tm2)
        return NULL;
    return vm_tm_rawequal(tm1, tm2) ? tm1 : NULL;
}

int vm_tm_equal(vm_State *L, const vm_tvalue_t *a, const vm_tvalue_t *b)
{
    vm_tvalue_t t1, t2;
    const vm_tvalue_t *tm;
    if (a->tt != b->tt)
        return 0;
    switch (a->tt) {
    case VM_TUSERDATA:
        if (a->value.gc == b->value.gc)
            return 1;
        tm = get_compTM(L, tv_ud(a)->metatable, tv_ud(b)->metatable,
                        VM_TM_EQ, &t1, &t2);
        break;
    case VM_TTABLE:
        if (a->value.gc == b->value.gc)
            return 1;
        tm = get_compTM(L, tv_tab(a)->metatable, tv_tab(b)->metatable,
                        VM_TM_EQ, &t1, &t2);
        break;
    default:
        return vm_tm_rawequal(a, b);
    }
    if (!tm)
        return 0;
    callTMres(L, L_top(L), tm, a, b);
    return !tv_isfalse(L_top(L));
}

static int call_orderTM(vm_State *L, const vm_tvalue_t *p1,
                        const vm_tvalue_t *p2, vm_tms_t e)
{
    vm_tvalue_t t1, t2;
    const vm_tvalue_t *tm1 = vm_tm_getbyobj(L, p1, e, &t1);
    if (tv_isnil(tm1))
        return -1;
    const vm_tvalue_t *tm2 = vm_tm_getbyobj(L, p2, e, &t2);
    if (!vm_tm_rawequal(tm1, tm2))
        return -1;
    callTMres(L, L_top(L), tm1, p1, p2);
    return !tv_isfalse(L_top(L));
}

/* strcoll in the C locale, across embedded NULs (lvm.c l_strcmp). */
static int l_strcmp(const vm_string_t *ls, const vm_string_t *rs)
{
    const char *l = str_data(ls), *r = str_data(rs);
    size_t ll = ls->len, lr = rs->len;
    for (;;) {
        int temp = strcmp(l, r);    /* strcoll in the C locale */
        if (temp != 0)
            return temp;
        size_t len = strlen(l);
        if (len == lr)
            return len == ll ? 0 : 1;
        if (len == ll)
            return -1;
        len++;
        l += len;
        ll -= len;
        r += len;
        lr -= len;
    }
}

int vm_tm_lessthan(vm_State *L, const vm_tvalue_t *a, const vm_tvalue_t *b)
{
    int res;
    if (a->tt != b->tt)
        vm_err_order(L, a, b);
    if (a->tt == VM_TNUMBER)
        return a->value.n < b->value.n;
    if (a->tt == VM_TSTRING)
        return l_strcmp(tv_str(a), tv_str(b)) < 0;
    if ((res = call_orderTM(L, a, b, VM_TM_LT)) != -1)
        return res;
    vm_err_order(L, a, b);
}

int vm_tm_lessequal(vm_State *L, const vm_tvalue_t *a,
                    const vm_tvalue_t *b)
{
    int res;
    if (a->tt != b->tt)
        vm_err_order(L, a, b);
    if (a->tt == VM_TNUMBER)
        return a->value.n <= b->value.n;
    if (a->tt == VM_TSTRING)
        return l_strcmp(tv_str(a), tv_str(b)) <= 0;
    if ((res = call_orderTM(L, a, b, VM_TM_LE)) != -1)
        return res;
    if ((res = call_orderTM(L, b, a, VM_TM_LT)) != -1)
        return !res;
    vm_err_order(L, a, b);
}

/* ---- concatenation ----------------------------------------------------- */

void vm_tm_concat(vm_State *L, int total, int last)
{
    do {
        vm_tvalue_t *top = L_base(L) + last + 1;
        int n = 2;
        if (!(tv_isstr(top - 2) || tv_isnum(top - 2)) ||
            !vm_str_tostring(L, top - 1)) {
            if (!call_binTM(L, top - 2, top - 1, top - 2, VM_TM_CONCAT)) {
                top = L_base(L) + last + 1;
                vm_err_concat(L, top - 2, top - 1);
            }
        } else if (tv_str(top - 1)->len == 0) {
            vm_str_tostring(L, top - 2);
        } else {
            size_t tl = tv_str(top - 1)->len;
            for (n = 1; n < total && vm_str_tostring(L, top - n - 1); n++) {
                size_t l = tv_str(top - n - 1)->len;
                if (l >= 0x7FFFFFF0u - tl)
                    vm_err_run(L, "string length overflow");
                tl += l;
            }
            vm_string_t *ts = vm_str_buffer(L, tl);
            char *b = str_data(ts);
            tl = 0;
            for (int i = n; i > 0; i--) {
                const vm_string_t *s = tv_str(top - i);
                memcpy(b + tl, str_data(s), s->len);
                tl += s->len;
            }
            ts = vm_str_intern(L, ts);
            tv_setobj(ts, top - n, VM_TSTRING);
        }
        total -= n - 1;
        last -= n - 1;
    } while (total > 1);
}

/* ---- arithmetic -------------------------------------------------------- */

const vm_tvalue_t *vm_tm_tonumber(vm_State *L, const vm_tvalue_t *o,
                                  vm_tvalue_t *n)
{
    double d;
    if (o->tt == VM_TNUMBER)
        return o;
    if (o->tt == VM_TSTRING &&
        vm_str_tonum(G(L)->integral, tv_svalue(o), &d)) {
        tv_setnum(n, d);
        return n;
    }
    return NULL;
}

double vm_tm_intarith(vm_State *L, vm_tms_t op, double a, double b)
{
    int32_t x = vm_toint32(a), y = vm_toint32(b);
    uint32_t ux = (uint32_t)x, uy = (uint32_t)y;
    switch (op) {
    case VM_TM_ADD:
        return (int32_t)(ux + uy);
    case VM_TM_SUB:
        return (int32_t)(ux - uy);
    case VM_TM_MUL:
        return (int32_t)(ux * uy);
    case VM_TM_DIV: {
        if (y == 0)
            vm_err_run(L, "divide by zero");
        if (y == -1)
            return (int32_t)(0u - ux);
        int32_t q = x / y;
        if ((x < 0) != (y < 0) && x % y != 0)
            q--;
        return q;
    }
    case VM_TM_MOD: {
        if (y == 0)
            vm_err_run(L, "modulo by zero");
        if (y == -1)
            return 0;
        int32_t r = x % y;
        if ((x < 0) != (y < 0) && r != 0)
            r += y;
        return r;
    }
    case VM_TM_POW: {
        if (y < 0)
            return 0;
        uint32_t c = 1, base = ux, e = (uint32_t)y;
        while (e) {
            if (e & 1)
                c *= base;
            e >>= 1;
            base *= base;
        }
        return (int32_t)c;
    }
    case VM_TM_UNM:
        return (int32_t)(0u - ux);
    default:
        return 0;
    }
}

void vm_tm_arith(vm_State *L, vm_tvalue_t *ra, const vm_tvalue_t *rb,
                 const vm_tvalue_t *rc, vm_tms_t op)
{
    vm_tvalue_t tb, tc;
    const vm_tvalue_t *b, *c;
    if ((b = vm_tm_tonumber(L, rb, &tb)) != NULL &&
        (c = vm_tm_tonumber(L, rc, &tc)) != NULL) {
        double nb = b->value.n, nc = c->value.n, r;
        if (G(L)->integral) {
            r = vm_tm_intarith(L, op, nb, nc);
        } else {
            switch (op) {
            case VM_TM_ADD: r = nb + nc; break;
            case VM_TM_SUB: r = nb - nc; break;
            case VM_TM_MUL: r = nb * nc; break;
            case VM_TM_DIV: r = nb / nc; break;
            case VM_TM_MOD: r = nb - floor(nb / nc) * nc; break;
            case VM_TM_POW: r = pow(nb, nc); break;
            case VM_TM_UNM: r = -nb; break;
            default: r = 0; break;
            }
        }
        tv_setnum(ra, r);
    } else if (!call_binTM(L, rb, rc, ra, op)) {
        vm_err_arith(L, rb, rc);
    }
}

void vm_tm_objlen(vm_State *L, vm_tvalue_t *ra, const vm_tvalue_t *rb)
{
    switch (rb->tt) {
    case VM_TTABLE:
        tv_setnum(ra, vm_tab_getn(tv_tab(rb)));
        break;
    case VM_TSTRING:
        tv_setnum(ra, tv_str(rb)->len);
        break;
    case VM_TROTABLE:
        tv_setnum(ra, 0);
        break;
    default: {
        ptrdiff_t at = savestack(L, rb);
        if (!call_binTM(L, rb, &vm_nilobject, ra, VM_TM_LEN))
            vm_err_type(L, restorestack(L, at), "get length of");
    }
    }
}
