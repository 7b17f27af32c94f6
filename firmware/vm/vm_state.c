/*
** vm_state.c: creating and closing a VM, and threads. vm_open lays the
** global state and the main thread at the start of the heap arena,
** adopts the LFS image (docs/lfs51.md §5.1: the ROstrt becomes the second
** string table before the tag-method names are interned, so those come
** from flash when the image has them), creates the registry and the
** globals and opens the libraries the configuration names (cfg.libs, in
** its order: the VM core knows no library). One VM at a
** time per process (there is one heap arena); its configuration is kept
** here, outside the arena (it holds host pointers).
** Spec: docs/lfs51.md §5.1, §5.3. Twin: none. May call: the core, plat.
*/
#include "firmware/vm/vm_core.h"

#include <stdio.h>

static vm_config cfg_copy;

const vm_config *vm_state_cfg(void)
{
    return &cfg_copy;
}

static void host_write(void *ud, const char *s, size_t n)
{
    (void)ud;
    fwrite(s, 1, n, stdout);
}

/* ---- threads ----------------------------------------------------------- */

static void stack_init(vm_State *L1, vm_callinfo_t *ci, vm_tvalue_t *stack)
{
    L1->base_ci = plat_ref(ci);
    L1->ci = L1->base_ci;
    L1->size_ci = VM_BASIC_CI;
    L1->end_ci = plat_ref(ci + VM_BASIC_CI - 1);
    int size = VM_BASIC_STACK + VM_EXTRA_STACK;
    for (int i = 0; i < size; i++)
        tv_setnil(&stack[i]);
    L1->stack = plat_ref(stack);
    L1->stacksize = size;
    L1->stack_last = plat_ref(stack + size - VM_EXTRA_STACK - 1);
    ci->func = plat_ref(stack);
    ci->base = plat_ref(stack + 1);
    ci->top = plat_ref(stack + 1 + VM_MINSTACK);
    ci->savedpc = 0;
    ci->nresults = 0;
    ci->tailcalls = 0;
    L1->top = plat_ref(stack + 1);
    L1->base = L1->top;
}

static void preinit(vm_State *L1, plat_ref_t g)
{
    memset(L1, 0, sizeof *L1);
    L1->tt = VM_TTHREAD;
    L1->l_G = g;
    tv_setnil(&L1->l_gt);
    tv_setnil(&L1->env);
}

vm_State *vm_state_newthread(vm_State *L)
{
    /* the parts first: an unanchored thread would be collected */
    vm_callinfo_t *ci = vm_mem_alloc(L, VM_BASIC_CI * sizeof *ci);
    vm_tvalue_t *st = vm_mem_tryalloc(L, (VM_BASIC_STACK + VM_EXTRA_STACK) *
                                          sizeof(vm_tvalue_t));
    vm_State *L1 = st ? vm_mem_tryalloc(L, sizeof(vm_State)) : NULL;
    if (!L1) {
        vm_mem_free(st);
        vm_mem_free(ci);
        vm_err_mem(L);
    }
    preinit(L1, L->l_G);
    stack_init(L1, ci, st);
    L1->l_gt = L->l_gt;
    vm_gc_link(L, L1, VM_TTHREAD);
    return L1;
}

void vm_state_freethread(vm_State *L, vm_State *L1)
{
    (void)L;
    if (L1->stack)
        vm_func_close(L1, L_stack(L1));
    if (L1->base_ci)
        vm_mem_free(L_baseci(L1));
    if (L1->stack)
        vm_mem_free(L_stack(L1));
    vm_mem_free(L1);
}

/* ---- open, close ------------------------------------------------------- */

static void f_open(vm_State *L, void *ud)
{
    vm_global_t *g = G(L);
    (void)ud;
    vm_callinfo_t *ci = vm_mem_alloc(L, VM_BASIC_CI * sizeof *ci);
    vm_tvalue_t *st = vm_mem_alloc(L, (VM_BASIC_STACK + VM_EXTRA_STACK) *
                                       sizeof(vm_tvalue_t));
    stack_init(L, ci, st);
    vm_str_init(L);
    g = G(L);
    vm_string_t *m = vm_str_newz(L, VM_MEMERRMSG);
    vm_str_fix(m);
    g->memerrmsg = plat_ref(m);
    vm_tm_init(L);
    vm_table_t *reg = vm_tab_new(L, 0, 2);
    tv_setobj(reg, &G(L)->l_registry, VM_TTABLE);
    vm_table_t *gt = vm_tab_new(L, 0, 32);
    tv_setobj(gt, &L->l_gt, VM_TTABLE);
    g = G(L);
    g->ready = 1;
    g->threshold = 4 * vm_mem_used();
    for (const vm_CFunction *o = cfg_copy.libs; o && *o; o++) {
        vm_pushlightfunction(L, *o);
        vm_call(L, 0, 0);
    }
    vm_settop(L, 0);
    g = G(L);
    g->estimate = vm_mem_used();
    g->threshold = 2 * g->estimate;
}

vm_State *vm_open(const vm_config *cfg)
{
    static const vm_config none;
    if (!plat_heap_base())
        return NULL;
    cfg_copy = cfg ? *cfg : none;
    if (!cfg_copy.write)
        cfg_copy.write = host_write;
    vm_mem_init();
    vm_rot_reset();
    vm_global_t *g = vm_mem_alloc(NULL, sizeof *g);
    vm_State *L = vm_mem_alloc(NULL, sizeof *L);
    if (!g || !L)
        return NULL;
    memset(g, 0, sizeof *g);
    preinit(L, plat_ref(g));
    L->marked = VM_MARK_FIXED;
    g->mainthread = plat_ref(L);
    g->integral = cfg_copy.integral != 0;
    g->gc_stress = cfg_copy.gc_stress != 0;
    g->gcpause = 200;
    g->gcstepmul = 200;
    g->threshold = UINT32_MAX;
    tv_setnil(&g->l_registry);
    tv_setnil(&g->dummynode.i_val);
    tv_setnil(&g->dummynode.i_key);
    g->dummynode.next = 0;
    vm_tab_dummy = plat_ref(&g->dummynode);
    /* LFS (docs/lfs51.md §3.1 header; ldr51_boot checked it) */
    g->lfs_base = cfg_copy.lfs_base;
    g->lfs_size = cfg_copy.lfs_size;
    if (cfg_copy.lfs_mapped) {
        plat_ref_t h = cfg_copy.lfs_mapped;
        g->lfs_mapped = h;
        g->lfs_used = plat_load32(h + 4);
        g->lfs_main = plat_load32(h + 8);
        g->ro_hash = plat_load32(h + 12);
        g->ro_nuse = plat_load32(h + 16);
        g->ro_size = plat_load32(h + 20);
        if (!g->ro_size || (g->ro_size & (g->ro_size - 1)))
            g->ro_hash = 0;
    }
    if (vm_do_rawrunprotected(L, f_open, NULL) != 0) {
        vm_mem_init();
        return NULL;
    }
    return L;
}

void vm_close(vm_State *L)
{
    if (!L)
        return;
    L = VM_P(vm_State, G(L)->mainthread);
    vm_func_close(L, L_stack(L));
    L->ci = L->base_ci;
    L->base = L_ci(L)->base;
    L_settop(L, L_base(L));
    L->errfunc = 0;
    vm_gc_freeall(L);
    G(L)->ready = 0;
    vm_mem_init();
}

void vm_writestring(vm_State *L, const char *s, size_t n)
{
    (void)L;
    cfg_copy.write(cfg_copy.write_ud, s, n);
}
