/*
** vm_rot.c: ROTables, the firmware's read-only tables: a library's
** constant entry array (vm.h vm_roentry) used as a table value with tag
** VM_TROTABLE. Lookups scan the entries comparing key strings, with no
** allocation; next() interns the key strings it returns (as NodeMCU's
** luaR_next does). Writes are refused by the callers. The GC never marks
** or writes a ROTable: it lies outside the heap arena.
** On the target the value is the address of the library's own array (its
** 32-bit layout is vm_roent_t) and a light C function is its address. On
** the host the C structs hold 64-bit pointers, so vm_rot_host.c builds
** 32-bit copies in the rom region and maps functions to 32-bit tokens.
** Spec: docs/lfs51.md §2.8 (ROTables). Twin: vm_rot_host.c (host half).
** May call: vm_str, vm_err, plat.
*/
#include "firmware/vm/vm_core.h"

static const vm_roent_t *rot_entries(plat_ref_t t)
{
    return VM_P(vm_roent_t, t);
}

static const char *keychars(const vm_roent_t *e)
{
    return VM_P(const char, e->key);
}

const vm_roent_t *vm_rot_find(plat_ref_t t, const char *key, size_t len)
{
    for (const vm_roent_t *e = rot_entries(t); e->key; e++) {
        const char *k = keychars(e);
        if (e->kind != VM_RO_META && k[0] == key[0] &&
            memcmp(k, key, len) == 0 && k[len] == 0)
            return e;
    }
    return NULL;
}

void vm_rot_value(vm_State *L, const vm_roent_t *e, vm_tvalue_t *o)
{
    switch (e->kind) {
    case VM_RO_FUNC:
        tv_setref(o, e->u.f, VM_TLIGHTFUNCTION);
        break;
    case VM_RO_NUM:
        tv_setnum(o, G(L)->integral ? (double)vm_toint32(e->u.n) : e->u.n);
        break;
    case VM_RO_STR:
        tv_setobj(vm_str_newz(L, VM_P(const char, e->u.s)), o, VM_TSTRING);
        break;
    case VM_RO_BOOL:
        tv_setbool(o, e->u.b);
        break;
    case VM_RO_TAB:
        tv_setref(o, e->u.t, e->u.t ? VM_TROTABLE : VM_TNIL);
        break;
    default:
        tv_setnil(o);
        break;
    }
}

int vm_rot_get(vm_State *L, plat_ref_t t, const vm_tvalue_t *key,
               vm_tvalue_t *o)
{
    const vm_roent_t *e = NULL;
    if (key->tt == VM_TSTRING) {
        const vm_string_t *ts = tv_str(key);
        e = vm_rot_find(t, str_data(ts), ts->len);
    }
    if (!e) {
        tv_setnil(o);
        return 0;
    }
    vm_rot_value(L, e, o);
    return 1;
}

plat_ref_t vm_rot_metatable(plat_ref_t t)
{
    for (const vm_roent_t *e = rot_entries(t); e->key; e++)
        if (e->kind == VM_RO_META)
            return e->u.t;
    return 0;
}

int vm_rot_next(vm_State *L, plat_ref_t t, vm_tvalue_t *k)
{
    const vm_roent_t *e = rot_entries(t);
    if (k->tt != VM_TNIL) {
        const vm_roent_t *at = NULL;
        if (k->tt == VM_TSTRING)
            at = vm_rot_find(t, tv_svalue(k), tv_str(k)->len);
        if (!at)
            vm_err_run(L, "invalid key to 'next'");
        e = at + 1;
    }
    for (; e->key; e++) {
        if (e->kind == VM_RO_META || e->kind == VM_RO_NONE)
            continue;
        ptrdiff_t at = savestack(L, k);
        vm_string_t *ks = vm_str_newz(L, keychars(e));
        k = restorestack(L, at);
        tv_setobj(ks, k, VM_TSTRING);
        vm_rot_value(L, e, k + 1);
        return 1;
    }
    return 0;
}

#if defined(__XTENSA__)
/* The target: 32-bit pointers; the arrays are the ROTables. */
_Static_assert(sizeof(vm_roentry) == sizeof(vm_roent_t), "vm_roent_t");

plat_ref_t vm_rot_ref(vm_State *L, const vm_roentry *t)
{
    (void)L;
    return plat_ref(t);
}

uint32_t vm_rot_fntoken(vm_CFunction f)
{
    return (uint32_t)(uintptr_t)f;
}

vm_CFunction vm_rot_fn(uint32_t token)
{
    return (vm_CFunction)(uintptr_t)token;
}

uint32_t vm_rot_lightud(void *p)
{
    return (uint32_t)(uintptr_t)p;
}

void *vm_rot_lightptr(uint32_t token)
{
    return (void *)(uintptr_t)token;
}

void vm_rot_reset(void)
{
}
#endif
