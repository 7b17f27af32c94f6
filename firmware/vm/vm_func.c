/*
** vm_func.c: function prototypes, closures and upvalues. A Proto is read
** the same way whether it lies in flash (an LFS image, in place) or in RAM
** (loaded from a .lc file); only RAM Protos are created and freed here.
** Open upvalues hang off their thread, sorted by stack slot (highest
** first); closing one copies the slot into the upvalue and moves it to the
** root list.
** Spec: docs/lfs51.md §2.6-2.7 (Proto, LocVar), §2.4 (constant layouts).
** Twin: none. May call: vm_mem, vm_gc.
*/
#include "firmware/vm/vm_core.h"

vm_proto_t *vm_func_newproto(vm_State *L)
{
    vm_proto_t *p = vm_mem_alloc(L, sizeof(vm_proto_t));
    memset(p, 0, sizeof *p);
    vm_gc_link(L, p, VM_TPROTO);
    return p;
}

void vm_func_freeproto(vm_proto_t *p)
{
    plat_ref_t v[6] = { p->k, p->code, p->p, p->packedlineinfo, p->locvars,
                        p->upvalues };
    for (int i = 0; i < 6; i++)
        if (v[i])
            vm_mem_free(plat_ptr(v[i]));
    vm_mem_free(p);
}

vm_closure_t *vm_func_newC(vm_State *L, int nup, plat_ref_t env)
{
    vm_closure_t *c = vm_mem_alloc(L, VM_CCLOSURE_SIZE(nup));
    c->isC = 1;
    c->nupvalues = (uint8_t)nup;
    c->gclist = 0;
    c->env = env;
    c->u.c.f = 0;
    for (int i = 0; i < nup; i++)
        tv_setnil(&c->u.c.upvalue[i]);
    vm_gc_link(L, c, VM_TFUNCTION);
    return c;
}

vm_closure_t *vm_func_newL(vm_State *L, int nup, plat_ref_t env)
{
    vm_closure_t *c = vm_mem_alloc(L, VM_LCLOSURE_SIZE(nup));
    c->isC = 0;
    c->nupvalues = (uint8_t)nup;
    c->gclist = 0;
    c->env = env;
    c->u.l.p = 0;
    for (int i = 0; i < nup; i++)
        c->u.l.upvals[i] = 0;
    vm_gc_link(L, c, VM_TFUNCTION);
    return c;
}

void vm_func_freeclosure(vm_closure_t *c)
{
    vm_mem_free(c);
}

vm_upval_t *vm_func_newupval(vm_State *L)
{
    vm_upval_t *uv = vm_mem_alloc(L, sizeof(vm_upval_t));
    uv->pad = 0;
    tv_setnil(&uv->value);
    uv->v = plat_ref(&uv->value);
    vm_gc_link(L, uv, VM_TUPVAL);
    return uv;
}

vm_upval_t *vm_func_findupval(vm_State *L, vm_tvalue_t *level)
{
    plat_ref_t lv = plat_ref(level);
    for (plat_ref_t r = L->openupval; r;) {
        vm_upval_t *p = VM_P(vm_upval_t, r);
        if (p->v < lv)
            break;
        if (p->v == lv)
            return p;
        r = p->next;
    }
    /* Not found: allocate (a collection may change the list), then find
    ** the place again. */
    vm_upval_t *uv = vm_mem_alloc(L, sizeof(vm_upval_t));
    uv->tt = VM_TUPVAL;
    uv->marked = 0;
    uv->pad = 0;
    uv->v = lv;
    tv_setnil(&uv->value);
    plat_ref_t *pp = &L->openupval;
    while (*pp && VM_P(vm_upval_t, *pp)->v > lv)
        pp = &VM_P(vm_upval_t, *pp)->next;
    uv->next = *pp;
    *pp = plat_ref(uv);
    return uv;
}

void vm_func_close(vm_State *L, vm_tvalue_t *level)
{
    plat_ref_t lv = plat_ref(level);
    vm_global_t *g = G(L);
    while (L->openupval) {
        vm_upval_t *uv = VM_P(vm_upval_t, L->openupval);
        if (uv->v < lv)
            break;
        L->openupval = uv->next;
        tv_set(&uv->value, VM_P(vm_tvalue_t, uv->v));
        uv->v = plat_ref(&uv->value);
        uv->next = g->rootgc;
        g->rootgc = plat_ref(uv);
    }
}

void vm_func_freeupval(vm_upval_t *uv)
{
    vm_mem_free(uv);
}

const char *vm_func_localname(const vm_proto_t *p, int n, int pc)
{
    const vm_locvar_t *lv = VM_P(vm_locvar_t, p->locvars);
    if (!p->locvars)
        return NULL;
    for (int i = 0; i < p->sizelocvars && lv[i].startpc <= pc; i++) {
        if (pc < lv[i].endpc) {
            if (--n == 0)
                return str_data(VM_P(vm_string_t, lv[i].varname));
        }
    }
    return NULL;
}

void vm_func_kget(int integral, const vm_proto_t *p, int i, vm_tvalue_t *o)
{
    if (integral) {
        const vm_kvalue8_t *k = VM_P(vm_kvalue8_t, p->k) + i;
        uint32_t tt = k->tt;
        if (tt == VM_TNUMBER)
            tv_setnum(o, (int32_t)k->v);
        else
            tv_setref(o, k->v, tt);
    } else {
        *o = VM_P(vm_tvalue_t, p->k)[i];
    }
}

const char *vm_func_kstr(int integral, const vm_proto_t *p, int i)
{
    vm_tvalue_t o;
    if (i < 0 || i >= p->sizek)
        return NULL;
    vm_func_kget(integral, p, i, &o);
    return o.tt == VM_TSTRING ? tv_svalue(&o) : NULL;
}
