/*
** vm_tab.c: tables, as Lua 5.1 lays them out: an array part for keys
** 1..sizearray and a hash part of 2^lsizenode nodes. Colliding keys are
** chained (Brent's variation: a key not in its main position moves away
** when the owner of that position arrives); the free-slot cursor
** lastfree only moves down. When no slot is free the table is rehashed:
** integer keys are counted per power-of-two slice and the array part
** gets the largest size that stays over half full. With the same hash
** functions and sizes, traversal order (next, pairs) matches lua5.1 for
** string and number keys.
** Allocation order keeps a table consistent at every allocation (any of
** them may run a full collection): new parts are allocated before the
** old ones are dropped, a new table's parts before its header.
** Spec: Lua 5.1 reference manual §2.5.5 (the length operator).
** Twin: none. May call: vm_mem, vm_gc, vm_err, vm_tm (rawequal).
*/
#include "firmware/vm/vm_core.h"

#define MAXBITS 26
#define MAXASIZE (1 << MAXBITS)

const vm_tvalue_t vm_nilobject = { { .n = 0 }, VM_TNIL };

int vm_tab_sizenode(const vm_table_t *t)
{
    return 1 << t->lsizenode;
}

plat_ref_t vm_tab_dummy;

static int isdummy(vm_State *L, const vm_table_t *t)
{
    (void)L;
    return t->node == vm_tab_dummy;
}

static vm_node_t *nextnode(const vm_node_t *n)
{
    return n->next ? VM_P(vm_node_t, n->next) : NULL;
}

static vm_node_t *hashmod(const vm_table_t *t, uint32_t n)
{
    return vm_tab_node(t) + (n % (uint32_t)((vm_tab_sizenode(t) - 1) | 1));
}

static vm_node_t *hashpow2(const vm_table_t *t, uint32_t n)
{
    return vm_tab_node(t) + (n & (uint32_t)(vm_tab_sizenode(t) - 1));
}

static vm_node_t *hashnum(const vm_table_t *t, double n)
{
    uint32_t a[2];
    if (n == 0)
        return vm_tab_node(t);
    memcpy(a, &n, sizeof a);
    return hashmod(t, a[0] + a[1]);
}

static vm_node_t *mainposition(const vm_table_t *t, const vm_tvalue_t *key)
{
    switch (key->tt) {
    case VM_TNUMBER:
        return hashnum(t, key->value.n);
    case VM_TSTRING:
        return hashpow2(t, tv_str(key)->hash);
    case VM_TBOOLEAN:
        return hashpow2(t, (uint32_t)key->value.b);
    default:
        return hashmod(t, key->value.p);
    }
}

/* Whether a number is an int (*k). */
static int numint(double n, int *k)
{
    if (n >= -2147483648.0 && n < 2147483648.0) {
        *k = (int)n;
        return (double)*k == n;
    }
    return 0;
}

/* The array index of a key, or -1. */
static int arrayindex(const vm_tvalue_t *key)
{
    int k;
    if (key->tt == VM_TNUMBER && numint(key->value.n, &k) && k > 0)
        return k;
    return -1;
}

/* ---- get --------------------------------------------------------------- */

const vm_tvalue_t *vm_tab_getnum(vm_table_t *t, int key)
{
    if ((uint32_t)key - 1u < (uint32_t)t->sizearray)
        return vm_tab_array(t) + (key - 1);
    double nk = key;
    for (vm_node_t *n = hashnum(t, nk); n; n = nextnode(n))
        if (n->i_key.tt == VM_TNUMBER && n->i_key.value.n == nk)
            return &n->i_val;
    return &vm_nilobject;
}

const vm_tvalue_t *vm_tab_getstr(vm_table_t *t, const vm_string_t *key)
{
    plat_ref_t r = plat_ref(key);
    for (vm_node_t *n = hashpow2(t, key->hash); n; n = nextnode(n))
        if (n->i_key.tt == VM_TSTRING && n->i_key.value.gc == r)
            return &n->i_val;
    return &vm_nilobject;
}

const vm_tvalue_t *vm_tab_get(vm_table_t *t, const vm_tvalue_t *key)
{
    switch (key->tt) {
    case VM_TNIL:
        return &vm_nilobject;
    case VM_TSTRING:
        return vm_tab_getstr(t, tv_str(key));
    case VM_TNUMBER: {
        int k;
        if (numint(key->value.n, &k))
            return vm_tab_getnum(t, k);
        break;
    }
    default:
        break;
    }
    for (vm_node_t *n = mainposition(t, key); n; n = nextnode(n))
        if (vm_tm_rawequal(&n->i_key, key))
            return &n->i_val;
    return &vm_nilobject;
}

/* ---- resize ------------------------------------------------------------ */

static int ceillog2(uint32_t x)
{
    return x <= 1 ? 0 : 32 - __builtin_clz(x - 1);
}

static int countint(const vm_tvalue_t *key, int *nums)
{
    int k = arrayindex(key);
    if (k > 0 && k <= MAXASIZE) {
        nums[ceillog2((uint32_t)k)]++;
        return 1;
    }
    return 0;
}

static int numusearray(const vm_table_t *t, int *nums)
{
    int ause = 0, i = 1;
    const vm_tvalue_t *a = vm_tab_array(t);
    for (int lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
        int lc = 0, lim = ttlg;
        if (lim > t->sizearray) {
            lim = t->sizearray;
            if (i > lim)
                break;
        }
        for (; i <= lim; i++)
            if (!tv_isnil(&a[i - 1]))
                lc++;
        nums[lg] += lc;
        ause += lc;
    }
    return ause;
}

static int numusehash(const vm_table_t *t, int *nums, int *pnasize)
{
    int total = 0, ause = 0;
    const vm_node_t *node = vm_tab_node(t);
    for (int i = vm_tab_sizenode(t) - 1; i >= 0; i--) {
        if (!tv_isnil(&node[i].i_val)) {
            ause += countint(&node[i].i_key, nums);
            total++;
        }
    }
    *pnasize += ause;
    return total;
}

static int computesizes(int *nums, int *narray)
{
    int a = 0, na = 0, n = 0;
    for (int i = 0, twotoi = 1; twotoi / 2 < *narray; i++, twotoi *= 2) {
        if (nums[i] > 0) {
            a += nums[i];
            if (a > twotoi / 2) {
                n = twotoi;
                na = a;
            }
        }
    }
    *narray = n;
    return na;
}

/* A node vector for size entries (rounded up to a power of 2), or the
** dummy; *lsize gets its log. Allocated, not installed. */
static vm_node_t *newnodes(vm_State *L, int size, int *lsize)
{
    if (size == 0) {
        *lsize = 0;
        return &G(L)->dummynode;
    }
    int lg = ceillog2((uint32_t)size);
    if (lg > MAXBITS)
        vm_err_run(L, "table overflow");
    size = 1 << lg;
    vm_node_t *n = vm_mem_alloc(L, (size_t)size * sizeof(vm_node_t));
    for (int i = 0; i < size; i++) {
        n[i].next = 0;
        tv_setnil(&n[i].i_key);
        tv_setnil(&n[i].i_val);
    }
    *lsize = lg;
    return n;
}

static void setarray(vm_State *L, vm_table_t *t, int size)
{
    vm_tvalue_t *a = t->array ? vm_tab_array(t) : NULL;
    if (size > MAXASIZE)
        vm_err_run(L, "table overflow");
    if (size == 0) {
        vm_mem_free(a);
        t->array = 0;
    } else {
        a = vm_mem_realloc(L, a, (size_t)size * sizeof(vm_tvalue_t));
        for (int i = t->sizearray; i < size; i++)
            tv_setnil(&a[i]);
        t->array = plat_ref(a);
    }
    t->sizearray = size;
}

static void tab_resize(vm_State *L, vm_table_t *t, int nasize, int nhsize)
{
    int oldasize = t->sizearray;
    int oldhsize = vm_tab_sizenode(t);
    int lsize;
    if (nasize > oldasize)
        setarray(L, t, nasize);
    vm_node_t *nn = newnodes(L, nhsize, &lsize);
    vm_node_t *nold = vm_tab_node(t);
    int olddummy = isdummy(L, t);
    /* From here on nothing allocates: reinsertion fits by construction. */
    t->node = plat_ref(nn);
    t->lsizenode = (uint8_t)lsize;
    t->lastfree = plat_ref(nn + (isdummy(L, t) ? 0 : (1 << lsize)));
    if (nasize < oldasize) {
        vm_tvalue_t *a = vm_tab_array(t);
        t->sizearray = nasize;
        for (int i = nasize; i < oldasize; i++)
            if (!tv_isnil(&a[i]))
                tv_set(vm_tab_setnum(L, t, i + 1), &a[i]);
        if (nasize == 0) {
            vm_mem_free(a);
            t->array = 0;
        } else {
            t->array = plat_ref(vm_mem_realloc(L, a, (size_t)nasize *
                                               sizeof(vm_tvalue_t)));
        }
    }
    for (int i = oldhsize - 1; i >= 0; i--) {
        vm_node_t *o = nold + i;
        if (!tv_isnil(&o->i_val))
            tv_set(vm_tab_set(L, t, &o->i_key), &o->i_val);
    }
    if (!olddummy)
        vm_mem_free(nold);
}

void vm_tab_resizearray(vm_State *L, vm_table_t *t, int nasize)
{
    int nsize = isdummy(L, t) ? 0 : vm_tab_sizenode(t);
    tab_resize(L, t, nasize, nsize);
}

static void rehash(vm_State *L, vm_table_t *t, const vm_tvalue_t *ek)
{
    int nums[MAXBITS + 1];
    memset(nums, 0, sizeof nums);
    int nasize = numusearray(t, nums);
    int total = nasize;
    total += numusehash(t, nums, &nasize);
    nasize += countint(ek, nums);
    total++;
    int na = computesizes(nums, &nasize);
    tab_resize(L, t, nasize, total - na);
}

/* ---- set --------------------------------------------------------------- */

static vm_node_t *getfreepos(vm_State *L, vm_table_t *t)
{
    if (isdummy(L, t))
        return NULL;
    vm_node_t *node = vm_tab_node(t);
    vm_node_t *lf = VM_P(vm_node_t, t->lastfree);
    while (lf > node) {
        lf--;
        if (tv_isnil(&lf->i_key)) {
            t->lastfree = plat_ref(lf);
            return lf;
        }
    }
    t->lastfree = plat_ref(lf);
    return NULL;
}

static vm_tvalue_t *newkey(vm_State *L, vm_table_t *t,
                           const vm_tvalue_t *key)
{
    vm_node_t *mp = mainposition(t, key);
    if (!tv_isnil(&mp->i_val) || isdummy(L, t)) {
        vm_node_t *n = getfreepos(L, t);
        if (!n) {
            rehash(L, t, key);
            return vm_tab_set(L, t, key);
        }
        vm_node_t *othern = mainposition(t, &mp->i_key);
        if (othern != mp) {
            while (nextnode(othern) != mp)
                othern = nextnode(othern);
            othern->next = plat_ref(n);
            *n = *mp;
            mp->next = 0;
            tv_setnil(&mp->i_val);
        } else {
            n->next = mp->next;
            mp->next = plat_ref(n);
            mp = n;
        }
    }
    tv_set(&mp->i_key, key);
    return &mp->i_val;
}

vm_tvalue_t *vm_tab_set(vm_State *L, vm_table_t *t, const vm_tvalue_t *key)
{
    const vm_tvalue_t *p = vm_tab_get(t, key);
    t->flags = 0;
    if (p != &vm_nilobject)
        return (vm_tvalue_t *)p;
    if (key->tt == VM_TNIL)
        vm_err_run(L, "table index is nil");
    if (key->tt == VM_TNUMBER && key->value.n != key->value.n)
        vm_err_run(L, "table index is NaN");
    return newkey(L, t, key);
}

vm_tvalue_t *vm_tab_setnum(vm_State *L, vm_table_t *t, int key)
{
    const vm_tvalue_t *p = vm_tab_getnum(t, key);
    if (p != &vm_nilobject)
        return (vm_tvalue_t *)p;
    vm_tvalue_t k;
    tv_setnum(&k, key);
    return newkey(L, t, &k);
}

vm_tvalue_t *vm_tab_setstr(vm_State *L, vm_table_t *t, vm_string_t *key)
{
    const vm_tvalue_t *p = vm_tab_getstr(t, key);
    t->flags = 0;
    if (p != &vm_nilobject)
        return (vm_tvalue_t *)p;
    vm_tvalue_t k;
    tv_setobj(key, &k, VM_TSTRING);
    return newkey(L, t, &k);
}

/* ---- new, free --------------------------------------------------------- */

vm_table_t *vm_tab_new(vm_State *L, int narray, int nhash)
{
    vm_tvalue_t *a = NULL;
    vm_node_t *nodes;
    int lsize;
    if (narray < 0 || narray > MAXASIZE || nhash < 0)
        vm_err_run(L, "table overflow");
    if (narray > 0)
        a = vm_mem_alloc(L, (size_t)narray * sizeof(vm_tvalue_t));
    /* The parts are plain blocks until the header exists: free them if a
    ** later allocation fails. */
    if (nhash > 0) {
        int lg = ceillog2((uint32_t)nhash);
        if (lg > MAXBITS) {
            vm_mem_free(a);
            vm_err_run(L, "table overflow");
        }
        nodes = vm_mem_tryalloc(L, sizeof(vm_node_t) << lg);
        if (!nodes) {
            vm_mem_free(a);
            vm_err_mem(L);
        }
        for (int i = 0; i < (1 << lg); i++) {
            nodes[i].next = 0;
            tv_setnil(&nodes[i].i_key);
            tv_setnil(&nodes[i].i_val);
        }
        lsize = lg;
    } else {
        nodes = &G(L)->dummynode;
        lsize = 0;
    }
    vm_table_t *t = vm_mem_tryalloc(L, sizeof(vm_table_t));
    if (!t) {
        vm_mem_free(a);
        if (nhash > 0)
            vm_mem_free(nodes);
        vm_err_mem(L);
    }
    for (int i = 0; i < narray; i++)
        tv_setnil(&a[i]);
    t->flags = 0xFF;
    t->lsizenode = (uint8_t)lsize;
    t->metatable = 0;
    t->array = plat_ref(a);
    t->sizearray = narray;
    t->node = plat_ref(nodes);
    t->lastfree = plat_ref(nodes + (nhash > 0 ? (1 << lsize) : 0));
    t->gclist = 0;
    vm_gc_link(L, t, VM_TTABLE);
    return t;
}

void vm_tab_free(vm_table_t *t)
{
    if (t->node != vm_tab_dummy)
        vm_mem_free(vm_tab_node(t));
    if (t->array)
        vm_mem_free(vm_tab_array(t));
    vm_mem_free(t);
}

/* ---- length and traversal ---------------------------------------------- */

static int unbound_search(vm_table_t *t, uint32_t j)
{
    uint32_t i = j;
    j++;
    while (!tv_isnil(vm_tab_getnum(t, (int)j))) {
        i = j;
        j *= 2;
        if (j > (uint32_t)INT32_MAX) {
            i = 1;
            while (!tv_isnil(vm_tab_getnum(t, (int)i)))
                i++;
            return (int)(i - 1);
        }
    }
    while (j - i > 1) {
        uint32_t mid = (i + j) / 2;
        if (tv_isnil(vm_tab_getnum(t, (int)mid)))
            j = mid;
        else
            i = mid;
    }
    return (int)i;
}

int vm_tab_getn(vm_table_t *t)
{
    uint32_t j = (uint32_t)t->sizearray;
    const vm_tvalue_t *a = vm_tab_array(t);
    if (j > 0 && tv_isnil(&a[j - 1])) {
        uint32_t i = 0;
        while (j - i > 1) {
            uint32_t mid = (i + j) / 2;
            if (tv_isnil(&a[mid - 1]))
                j = mid;
            else
                i = mid;
        }
        return (int)i;
    }
    if (t->node == vm_tab_dummy)
        return (int)j;
    return unbound_search(t, j);
}

static int findindex(vm_State *L, vm_table_t *t, const vm_tvalue_t *key)
{
    if (key->tt == VM_TNIL)
        return -1;
    int i = arrayindex(key);
    if (i > 0 && i <= t->sizearray)
        return i - 1;
    vm_node_t *node = vm_tab_node(t);
    for (vm_node_t *n = mainposition(t, key); n; n = nextnode(n)) {
        if (vm_tm_rawequal(&n->i_key, key) ||
            (n->i_key.tt == VM_TDEADKEY && tv_iscollectable(key) &&
             n->i_key.value.gc == key->value.gc))
            return (int)(n - node) + t->sizearray;
    }
    vm_err_run(L, "invalid key to 'next'");
}

int vm_tab_next(vm_State *L, vm_table_t *t, vm_tvalue_t *k)
{
    int i = findindex(L, t, k);
    const vm_tvalue_t *a = vm_tab_array(t);
    for (i++; i < t->sizearray; i++) {
        if (!tv_isnil(&a[i])) {
            tv_setnum(k, i + 1);
            tv_set(k + 1, &a[i]);
            return 1;
        }
    }
    if (isdummy(L, t))
        return 0;
    const vm_node_t *node = vm_tab_node(t);
    for (i -= t->sizearray; i < vm_tab_sizenode(t); i++) {
        if (!tv_isnil(&node[i].i_val)) {
            tv_set(k, &node[i].i_key);
            tv_set(k + 1, &node[i].i_val);
            return 1;
        }
    }
    return 0;
}
