/*
** vm_gc.c: the garbage collector: stop-the-world mark and sweep.
**
** The one rule (docs/lfs51.md §5.4): only objects inside the heap arena are
** collectable. markobj tests the address range first, so a flash string
** or Proto, a ROTable or rom string is never marked, swept or written.
**
** A cycle marks from the roots (registry, main thread, basic-type
** metatables, the running thread, userdata awaiting __gc) through a gray
** list (no recursion), separates unreachable userdata that have __gc
** (kept alive, queued for finalization, newest first: reverse creation
** order), clears weak table entries (__mode 'k'/'v'; strings are values,
** never cleared) and sweeps: the root list (tables, closures, Protos,
** threads, closed upvalues), each thread's open upvalues, userdata, and
** the RAM string table. Marks: BLACK while reached, cleared by the sweep.
**
** Any allocation may run a cycle (gc_stress, or an allocation that found
** no room: the emergency collection), so every live object is reachable
** from the roots at every allocation. Such a cycle runs no finalizer and
** moves nothing (stacks and call-info vectors shrink in place, so
** pointers to their live part stay valid). Automatic cycles (memory above
** the threshold, pause per cent of the live size after the last cycle) and
** finalizers run at safe
** points only: vm_gc_step, called where the caller reloads its stack
** pointers (the interpreter's Protect, the API). Finalizers never nest:
** while one loop runs them, a finalizer that allocates or calls
** collectgarbage() collects but leaves the queue to that loop (nested,
** each level would hold a Lua and a C frame: a few hundred finalizers
** would fill the 44 KB heap and end in "stack overflow").
** Spec: Lua 5.1 manual §2.10. Twin: none.
** May call: vm_mem, vm_str, vm_tab, vm_func, vm_tm, vm_rot, vm_do,
** vm_state.
*/
#include "firmware/vm/vm_core.h"

static void callfinalizers(vm_State *L, int all);

static vm_gcheader_t *hdrof(plat_ref_t r)
{
    return VM_P(vm_gcheader_t, r);
}

static plat_ref_t *gclistof(vm_gcheader_t *o)
{
    switch (o->tt) {
    case VM_TTABLE:
        return &((vm_table_t *)o)->gclist;
    case VM_TFUNCTION:
        return &((vm_closure_t *)o)->gclist;
    case VM_TTHREAD:
        return &((vm_State *)o)->gclist;
    default:
        return &((vm_proto_t *)o)->gclist;
    }
}

void vm_gc_link(vm_State *L, void *o, uint8_t tt)
{
    vm_global_t *g = G(L);
    vm_gcheader_t *h = o;
    h->tt = tt;
    h->marked = 0;
    if (tt == VM_TUSERDATA) {
        h->next = g->udata;
        g->udata = plat_ref(o);
    } else {
        h->next = g->rootgc;
        g->rootgc = plat_ref(o);
    }
}

/* ---- mark -------------------------------------------------------------- */

static void markvalue(vm_global_t *g, const vm_tvalue_t *v);

static void markobj(vm_global_t *g, plat_ref_t r)
{
    if (!vm_isram(r))
        return;                     /* flash, rom: never touched */
    vm_gcheader_t *o = hdrof(r);
    if (o->marked & VM_MARK_BLACK)
        return;
    o->marked |= VM_MARK_BLACK;
    switch (o->tt) {
    case VM_TSTRING:
        return;
    case VM_TUSERDATA: {
        vm_udata_t *u = (vm_udata_t *)o;
        if (u->metatable)
            markobj(g, u->metatable);
        if (u->env)
            markobj(g, u->env);
        return;
    }
    case VM_TUPVAL: {
        vm_upval_t *uv = (vm_upval_t *)o;
        markvalue(g, VM_P(vm_tvalue_t, uv->v));
        return;
    }
    default:
        *gclistof(o) = g->gray;
        g->gray = r;
        return;
    }
}

static void markvalue(vm_global_t *g, const vm_tvalue_t *v)
{
    if (tv_iscollectable(v))
        markobj(g, v->value.gc);
}

/* __mode of a metatable, read without allocating: 1 'k', 2 'v'. */
static int weakmode(vm_global_t *g, plat_ref_t mt)
{
    const char *s = NULL;
    vm_string_t *name = VM_P(vm_string_t, g->tmname[VM_TM_MODE]);
    if (!mt)
        return 0;
    if (vm_isram(mt)) {
        vm_table_t *t = VM_P(vm_table_t, mt);
        if (t->flags & (1u << VM_TM_MODE))
            return 0;
        const vm_tvalue_t *v = vm_tab_getstr(t, name);
        if (v->tt == VM_TSTRING)
            s = tv_svalue(v);
    } else {
        const vm_roent_t *e = vm_rot_find(mt, str_data(name), name->len);
        if (e && e->kind == VM_RO_STR)
            s = VM_P(const char, e->u.s);
    }
    if (!s)
        return 0;
    return (strchr(s, 'k') ? 1 : 0) | (strchr(s, 'v') ? 2 : 0);
}

/* A node whose value is nil: its key may not keep an object alive. */
static void removeentry(vm_node_t *n)
{
    if (tv_iscollectable(&n->i_key))
        n->i_key.tt = VM_TDEADKEY;
}

static void traversetable(vm_global_t *g, vm_table_t *h)
{
    int mode = 0;
    if (h->metatable) {
        markobj(g, h->metatable);
        mode = weakmode(g, h->metatable);
    }
    h->marked &= (uint8_t)~(VM_MARK_KEYWEAK | VM_MARK_VALUEWEAK);
    if (mode) {
        h->marked |= (uint8_t)((mode & 1 ? VM_MARK_KEYWEAK : 0) |
                               (mode & 2 ? VM_MARK_VALUEWEAK : 0));
        h->gclist = g->weak;
        g->weak = plat_ref(h);
    }
    if (mode == 3)
        return;
    if (!(mode & 2)) {
        vm_tvalue_t *a = vm_tab_array(h);
        for (int i = 0; i < h->sizearray; i++)
            markvalue(g, &a[i]);
    }
    if (h->node == vm_tab_dummy)
        return;
    vm_node_t *node = vm_tab_node(h);
    for (int i = vm_tab_sizenode(h) - 1; i >= 0; i--) {
        vm_node_t *n = &node[i];
        if (tv_isnil(&n->i_val)) {
            removeentry(n);
        } else {
            if (!(mode & 1))
                markvalue(g, &n->i_key);
            if (!(mode & 2))
                markvalue(g, &n->i_val);
        }
    }
}

static void traverseproto(vm_global_t *g, vm_proto_t *p)
{
    if (p->source)
        markobj(g, p->source);
    if (g->integral) {
        const vm_kvalue8_t *k = VM_P(vm_kvalue8_t, p->k);
        for (int i = 0; i < p->sizek; i++)
            if (k[i].tt == VM_TSTRING)
                markobj(g, k[i].v);
    } else {
        const vm_tvalue_t *k = VM_P(vm_tvalue_t, p->k);
        for (int i = 0; i < p->sizek; i++)
            markvalue(g, &k[i]);
    }
    const plat_ref_t *pp = VM_P(plat_ref_t, p->p);
    for (int i = 0; i < p->sizep; i++)
        if (pp[i])
            markobj(g, pp[i]);
    const plat_ref_t *up = VM_P(plat_ref_t, p->upvalues);
    for (int i = 0; i < p->sizeupvalues; i++)
        if (up[i])
            markobj(g, up[i]);
    const vm_locvar_t *lv = VM_P(vm_locvar_t, p->locvars);
    for (int i = 0; i < p->sizelocvars; i++)
        if (lv[i].varname)
            markobj(g, lv[i].varname);
}

static void traverseclosure(vm_global_t *g, vm_closure_t *c)
{
    if (c->env)
        markobj(g, c->env);
    if (c->isC) {
        for (int i = 0; i < c->nupvalues; i++)
            markvalue(g, &c->u.c.upvalue[i]);
    } else {
        if (c->u.l.p)
            markobj(g, c->u.l.p);
        for (int i = 0; i < c->nupvalues; i++)
            if (c->u.l.upvals[i])
                markobj(g, c->u.l.upvals[i]);
    }
}

static void traversestack(vm_global_t *g, vm_State *L1)
{
    markvalue(g, &L1->l_gt);
    markvalue(g, &L1->env);
    vm_tvalue_t *top = L_top(L1);
    vm_tvalue_t *lim = top;
    for (vm_callinfo_t *ci = L_baseci(L1); ci <= L_ci(L1); ci++)
        if (ci_top(ci) > lim)
            lim = ci_top(ci);
    vm_tvalue_t *last = VM_P(vm_tvalue_t, L1->stack_last);
    if (lim > last)
        lim = last;
    vm_tvalue_t *o;
    for (o = L_stack(L1); o < top; o++)
        markvalue(g, o);
    for (; o <= lim; o++)
        tv_setnil(o);
}

static void propagate(vm_global_t *g)
{
    while (g->gray) {
        vm_gcheader_t *o = hdrof(g->gray);
        g->gray = *gclistof(o);
        switch (o->tt) {
        case VM_TTABLE:
            traversetable(g, (vm_table_t *)o);
            break;
        case VM_TFUNCTION:
            traverseclosure(g, (vm_closure_t *)o);
            break;
        case VM_TTHREAD:
            traversestack(g, (vm_State *)o);
            break;
        case VM_TPROTO:
            traverseproto(g, (vm_proto_t *)o);
            break;
        default:
            break;
        }
    }
}

/* ---- finalization and weak tables -------------------------------------- */

static int hasgc(vm_global_t *g, plat_ref_t mt)
{
    vm_string_t *name = VM_P(vm_string_t, g->tmname[VM_TM_GC]);
    if (!mt)
        return 0;
    if (vm_isram(mt)) {
        vm_table_t *t = VM_P(vm_table_t, mt);
        if (t->flags & (1u << VM_TM_GC))
            return 0;
        return !tv_isnil(vm_tab_getstr(t, name));
    }
    const vm_roent_t *e = vm_rot_find(mt, str_data(name), name->len);
    return e && e->kind != VM_RO_NONE;
}

/* Move unreachable userdata with __gc to the finalization queue. */
static void separateudata(vm_global_t *g, int all)
{
    plat_ref_t *pp = &g->udata;
    while (*pp) {
        vm_udata_t *u = VM_P(vm_udata_t, *pp);
        if ((!all && (u->marked & VM_MARK_BLACK)) ||
            (u->marked & VM_MARK_FINALIZED)) {
            pp = &u->next;
        } else if (!hasgc(g, u->metatable)) {
            u->marked |= VM_MARK_FINALIZED;
            pp = &u->next;
        } else {
            plat_ref_t r = *pp;
            *pp = u->next;
            u->marked |= VM_MARK_FINALIZED;
            u->next = 0;
            if (g->tmudata)
                VM_P(vm_udata_t, g->tmudata_last)->next = r;
            else
                g->tmudata = r;
            g->tmudata_last = r;
        }
    }
}

static void marktmu(vm_global_t *g)
{
    for (plat_ref_t r = g->tmudata; r; r = VM_P(vm_udata_t, r)->next)
        markobj(g, r);
}

static int iscleared(vm_global_t *g, const vm_tvalue_t *o, int iskey)
{
    if (!tv_iscollectable(o))
        return 0;
    if (o->tt == VM_TSTRING) {
        markobj(g, o->value.gc);    /* strings are values, never weak */
        return 0;
    }
    if (!vm_isram(o->value.gc))
        return 0;
    vm_gcheader_t *h = hdrof(o->value.gc);
    return !(h->marked & VM_MARK_BLACK) ||
           (o->tt == VM_TUSERDATA && !iskey &&
            (h->marked & VM_MARK_FINALIZED));
}

static void cleartables(vm_global_t *g)
{
    for (plat_ref_t r = g->weak; r;) {
        vm_table_t *h = VM_P(vm_table_t, r);
        if (h->marked & VM_MARK_VALUEWEAK) {
            vm_tvalue_t *a = vm_tab_array(h);
            for (int i = 0; i < h->sizearray; i++)
                if (iscleared(g, &a[i], 0))
                    tv_setnil(&a[i]);
        }
        if (h->node != vm_tab_dummy) {
            vm_node_t *node = vm_tab_node(h);
            for (int i = vm_tab_sizenode(h) - 1; i >= 0; i--) {
                vm_node_t *n = &node[i];
                if (!tv_isnil(&n->i_val) &&
                    (iscleared(g, &n->i_key, 1) ||
                     iscleared(g, &n->i_val, 0))) {
                    tv_setnil(&n->i_val);
                    removeentry(n);
                }
            }
        }
        r = h->gclist;
    }
}

/* ---- sweep ------------------------------------------------------------- */

/* A dead thread: close its live open upvalues (they are on the swept part
** of the root list after this), free the dead ones, then the thread. */
static void freethread(vm_State *L, vm_State *L1)
{
    vm_global_t *g = G(L);
    while (L1->openupval) {
        vm_upval_t *uv = VM_P(vm_upval_t, L1->openupval);
        L1->openupval = uv->next;
        if (uv->marked & VM_MARK_BLACK) {
            uv->marked &= (uint8_t)~VM_MARK_BLACK;
            tv_set(&uv->value, VM_P(vm_tvalue_t, uv->v));
            uv->v = plat_ref(&uv->value);
            uv->next = g->rootgc;
            g->rootgc = plat_ref(uv);
        } else {
            vm_func_freeupval(uv);
        }
    }
    vm_state_freethread(L, L1);
}

static void sweepopenupvals(vm_State *L1)
{
    plat_ref_t *pp = &L1->openupval;
    while (*pp) {
        vm_upval_t *uv = VM_P(vm_upval_t, *pp);
        if (uv->marked & VM_MARK_BLACK) {
            uv->marked &= (uint8_t)~VM_MARK_BLACK;
            pp = &uv->next;
        } else {
            *pp = uv->next;
            vm_func_freeupval(uv);
        }
    }
}

static void freeobj(vm_State *L, vm_gcheader_t *o)
{
    switch (o->tt) {
    case VM_TTABLE:
        vm_tab_free((vm_table_t *)o);
        break;
    case VM_TFUNCTION:
        vm_func_freeclosure((vm_closure_t *)o);
        break;
    case VM_TPROTO:
        vm_func_freeproto((vm_proto_t *)o);
        break;
    case VM_TUPVAL:
        vm_func_freeupval((vm_upval_t *)o);
        break;
    case VM_TTHREAD:
        freethread(L, (vm_State *)o);
        break;
    default:
        vm_mem_free(o);
        break;
    }
}

static void sweeplist(vm_State *L, plat_ref_t *pp, int all)
{
    while (*pp) {
        vm_gcheader_t *o = hdrof(*pp);
        if (!all && (o->marked & (VM_MARK_BLACK | VM_MARK_FIXED))) {
            o->marked &= (uint8_t)~VM_MARK_BLACK;
            if (o->tt == VM_TTHREAD)
                sweepopenupvals((vm_State *)o);
            pp = &o->next;
        } else {
            *pp = o->next;
            freeobj(L, o);
        }
    }
}

/* ---- cycles ------------------------------------------------------------ */

void vm_gc_shrinkstack(vm_State *L1)
{
    int ciused = (int)(L_ci(L1) - L_baseci(L1));
    /* a heap this small cannot keep a deep stack around: shrink to
    ** twice the use in one go (lua5.1 halves per cycle) */
    if (L1->size_ci <= VM_MAXCALLS && 4 * ciused < L1->size_ci &&
        2 * VM_BASIC_CI < L1->size_ci) {
        int want = 2 * (ciused + 1);
        vm_do_reallocci(L1, want < VM_BASIC_CI ? VM_BASIC_CI : want);
    }
    vm_tvalue_t *lim = L_top(L1);
    for (vm_callinfo_t *ci = L_baseci(L1); ci <= L_ci(L1); ci++)
        if (ci_top(ci) > lim)
            lim = ci_top(ci);
    int used = (int)(lim - L_stack(L1)) + 1;
    if (4 * used < L1->stacksize &&
        2 * (VM_BASIC_STACK + VM_EXTRA_STACK) < L1->stacksize) {
        int want = 2 * used;
        vm_do_reallocstack(L1, want < VM_BASIC_STACK ? VM_BASIC_STACK
                                                     : want);
    }
}

static void shrinkstacks(vm_State *L)
{
    vm_global_t *g = G(L);
    vm_gc_shrinkstack(VM_P(vm_State, g->mainthread));
    for (plat_ref_t r = g->rootgc; r; r = hdrof(r)->next)
        if (hdrof(r)->tt == VM_TTHREAD)
            vm_gc_shrinkstack((vm_State *)hdrof(r));
}

static void collect(vm_State *L, int safe)
{
    vm_global_t *g = G(L);
    if (g->gcbusy || !g->ready)
        return;
    g->gcbusy = 1;
    g->gray = 0;
    g->weak = 0;
    /* roots */
    markvalue(g, &g->l_registry);
    markobj(g, g->mainthread);
    markobj(g, plat_ref(L));
    for (int i = 0; i < VM_NUMTAGS; i++)
        if (g->mt[i])
            markobj(g, g->mt[i]);
    marktmu(g);
    propagate(g);
    /* userdata to finalize stay alive for their __gc */
    separateudata(g, 0);
    marktmu(g);
    propagate(g);
    cleartables(g);
    /* sweep */
    sweeplist(L, &g->rootgc, 0);
    sweeplist(L, &g->udata, 0);
    {
        /* the main thread is on no list */
        vm_State *m = VM_P(vm_State, g->mainthread);
        m->marked &= (uint8_t)~VM_MARK_BLACK;
        sweepopenupvals(m);
    }
    /* userdata waiting for __gc are on no swept list either */
    for (plat_ref_t r = g->tmudata; r; r = VM_P(vm_udata_t, r)->next)
        VM_P(vm_udata_t, r)->marked &= (uint8_t)~VM_MARK_BLACK;
    vm_str_sweep(L, 0);
    /* shrink only well below the grow point: no resize on every cycle */
    if (g->strt_nuse < g->strt_size / 8 && g->strt_size > 64)
        vm_str_resize(L, g->strt_size / 2);
    (void)safe;
    shrinkstacks(L);        /* in place: safe in any collection */
    g->estimate = vm_mem_used();
    uint64_t th = (uint64_t)(g->estimate / 100) * (uint32_t)g->gcpause;
    g->threshold = th > UINT32_MAX ? UINT32_MAX : (uint32_t)th;
    g->gcbusy = 0;
}

/* A full collection. safe: called where stack pointers are reloaded
** afterwards, so stacks may shrink and finalizers run. */
static void fullgc(vm_State *L, int safe)
{
    collect(L, safe);
    if (safe)
        callfinalizers(L, 1);
}

void vm_gc_emergency(vm_State *L)
{
    collect(L, 0);
}

void vm_gc_step(vm_State *L)
{
    vm_global_t *g = G(L);
    if (!g->ready || g->gcbusy)
        return;
    if (!g->gcstopped && vm_mem_used() >= g->threshold)
        collect(L, 1);
    if (g->tmudata)
        callfinalizers(L, 1);
}

static void callfinalizers(vm_State *L, int all)
{
    vm_global_t *g = G(L);
    (void)all;
    if (g->finalizing)
        return;
    g->finalizing = 1;
    while (g->tmudata) {
        plat_ref_t r = g->tmudata;
        vm_udata_t *u = VM_P(vm_udata_t, r);
        g->tmudata = u->next;
        u->next = g->udata;
        g->udata = r;
        vm_tvalue_t tmp;
        const vm_tvalue_t *tm = vm_tm_get(L, u->metatable, VM_TM_GC, &tmp);
        if (tm) {
            uint32_t th = g->threshold;
            vm_do_checkstack(L, 2);
            vm_tvalue_t *top = L_top(L);
            top[0] = *tm;
            tv_setref(&top[1], r, VM_TUSERDATA);
            L->top += 2 * sizeof(vm_tvalue_t);
            g->threshold = 2 * vm_mem_used();
            vm_do_call(L, top, 0);
            g = G(L);
            g->threshold = th;
        }
    }
    g->finalizing = 0;
}

static void finalize_all(vm_State *L, void *ud)
{
    (void)ud;
    callfinalizers(L, 1);
}

void vm_gc_freeall(vm_State *L)
{
    vm_global_t *g = G(L);
    /* every userdata with __gc is finalized, newest first; an error in
    ** one does not stop the others */
    separateudata(g, 1);
    while (g->tmudata) {
        ptrdiff_t top = savestack(L, L_top(L));
        if (vm_do_pcall(L, finalize_all, NULL, top, 0) != 0)
            L_settop(L, restorestack(L, top));
        g = G(L);
    }
}

int vm_gc_control(vm_State *L, int what, int data)
{
    vm_global_t *g = G(L);
    int res = 0;
    switch (what) {
    case VM_GCSTOP:
        g->gcstopped = 1;
        break;
    case VM_GCRESTART:
        g->gcstopped = 0;
        g->threshold = vm_mem_used();
        break;
    case VM_GCCOLLECT:
        fullgc(L, 1);
        break;
    case VM_GCCOUNT:
        res = (int)(vm_mem_used() >> 10);
        break;
    case VM_GCCOUNTB:
        res = (int)(vm_mem_used() & 0x3FF);
        break;
    case VM_GCSTEP:
        fullgc(L, 1);
        res = 1;
        break;
    case VM_GCSETPAUSE:
        res = g->gcpause;
        g->gcpause = data;
        break;
    case VM_GCSETSTEPMUL:
        res = g->gcstepmul;
        g->gcstepmul = data;
        break;
    default:
        res = -1;
        break;
    }
    return res;
}
