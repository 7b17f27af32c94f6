/*
** vm_mem.c: the VM's allocator over the plat heap arena. Every VM object
** (states, stacks, tables, strings, closures, upvalues, RAM Protos,
** userdata) is a block here; nothing of the VM comes from malloc.
** Spec: docs/architecture.md §3 (the heap arena at the end of dram0). Twin:
** none. May call: plat, vm_gc (collections), vm_err (the memory error), libc.
**
** Blocks: a 4-byte header word before an 8-aligned payload holds the
** block size (header included, a multiple of 8, at least 16) and two
** bits: USED, and PREVUSED (the block below is in use). A free block
** keeps next/prev free-list refs in its first payload words and its size
** in its last word (a footer), so freeing coalesces with both neighbours
** in O(1). Free blocks sit in segregated bins: one per size up to 520
** bytes, then one per power of two; a search takes the first fit of the
** smallest bin that can serve, then the first block of a larger one.
**
**   base+0      4 bytes unused (aligns payloads to 8)
**   base+4      first block header ...
**   end-4       epilogue: a used block of size 0
**
** Under AddressSanitizer the interior of free blocks is poisoned, so a
** use after free inside the arena is reported as on the heap.
**
** Test hook (Lua's ltests.c failnext): vm_mem_failat(n) makes the n-th
** allocation from then on (a new block, or a block grown by realloc) fail
** once, as a full heap would but without a collection, so tests can walk
** a failure through every allocation of a program; vm_mem_count counts
** allocations. It costs a counter and a compare per allocation.
*/
#include "firmware/vm/vm_core.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define USED      1u
#define PREVUSED  2u
#define SIZEMASK  (~7u)
#define MINBLOCK  16u
#define NSMALL    64                  /* exact bins: 16 ... 520          */
#define SMALLMAX  (MINBLOCK + 8u * (NSMALL - 1))
#define NBINS     (NSMALL + 16)

plat_ref_t vm_mem_base;
uint32_t vm_mem_size;

static struct {
    plat_ref_t bins[NBINS];
    uint32_t map[(NBINS + 31) / 32];  /* bit b: bin b is not empty  */
    uint32_t used;                    /* bytes in used blocks        */
    uint32_t peak;
    uint32_t count;                   /* allocations since vm_mem_init */
    uint32_t failat;                  /* count that fails; 0 = none  */
} m;

/* Count an allocation; 1 if the test hook fails this one. */
static int counted_fails(void)
{
    if (++m.count != m.failat)
        return 0;
    m.failat = 0;
    return 1;
}

void vm_mem_failat(uint32_t n)
{
    m.failat = n ? m.count + n : 0;
}

uint32_t vm_mem_count(void)
{
    return m.count;
}

static uint32_t *hdr(plat_ref_t blk)
{
    return VM_P(uint32_t, blk);
}

static uint32_t bsize(plat_ref_t blk)
{
    return *hdr(blk) & SIZEMASK;
}

/* Free-block links: payload words 0 and 1. */
static plat_ref_t *lnext(plat_ref_t blk)
{
    return VM_P(plat_ref_t, blk + 4);
}

static plat_ref_t *lprev(plat_ref_t blk)
{
    return VM_P(plat_ref_t, blk + 8);
}

static int binof(uint32_t size)
{
    if (size <= SMALLMAX)
        return (int)((size - MINBLOCK) >> 3);
    int b = NSMALL + (31 - __builtin_clz(size)) - 9;   /* 2^9 < size */
    return b < NBINS ? b : NBINS - 1;
}

static void bin_insert(plat_ref_t blk, uint32_t size)
{
    int b = binof(size);
    plat_ref_t head = m.bins[b];
    *lnext(blk) = head;
    *lprev(blk) = 0;
    if (head)
        *lprev(head) = blk;
    m.bins[b] = blk;
    m.map[b >> 5] |= 1u << (b & 31);
    /* footer */
    *hdr(blk + size - 4) = size;
    if (size > 24)
        POISON(plat_ptr(blk + 12), size - 16);
}

static void bin_remove(plat_ref_t blk, uint32_t size)
{
    int b = binof(size);
    plat_ref_t nx = *lnext(blk), pv = *lprev(blk);
    if (pv)
        *lnext(pv) = nx;
    else
        m.bins[b] = nx;
    if (nx)
        *lprev(nx) = pv;
    if (!m.bins[b])
        m.map[b >> 5] &= ~(1u << (b & 31));
}

/* Mark block blk free (size, prev-used bit kept) and coalesce. */
static void release(plat_ref_t blk)
{
    uint32_t h = *hdr(blk);
    uint32_t size = h & SIZEMASK;
    plat_ref_t nb = blk + size;
    uint32_t nh = *hdr(nb);
    if (!(nh & USED)) {
        uint32_t ns = nh & SIZEMASK;
        UNPOISON(plat_ptr(nb), ns);
        bin_remove(nb, ns);
        size += ns;
    }
    if (!(h & PREVUSED)) {
        uint32_t ps = *hdr(blk - 4);
        plat_ref_t pb = blk - ps;
        UNPOISON(plat_ptr(pb), ps);
        bin_remove(pb, ps);
        blk = pb;
        size += ps;
        h = *hdr(pb);
    }
    *hdr(blk) = size | (h & PREVUSED);
    nb = blk + size;
    *hdr(nb) &= ~PREVUSED;
    bin_insert(blk, size);
}

void vm_mem_init(void)
{
    uint32_t failat = m.failat > m.count ? m.failat - m.count : 0;
    vm_mem_base = plat_heap_base();
    vm_mem_size = plat_heap_size();
    memset(&m, 0, sizeof m);
    m.failat = failat;
    UNPOISON(plat_ptr(vm_mem_base), vm_mem_size);
    plat_ref_t first = vm_mem_base + 4;
    uint32_t size = vm_mem_size - 8;
    *hdr(vm_mem_base + vm_mem_size - 4) = USED;    /* epilogue, size 0 */
    *hdr(first) = size | PREVUSED;
    bin_insert(first, size);
}

/* Take a free block of at least need bytes; 0 if none. */
static plat_ref_t take(uint32_t need)
{
    int b = binof(need);
    plat_ref_t blk = 0;
    if (b >= NSMALL) {
        /* first fit inside the bin that may hold smaller blocks */
        for (plat_ref_t x = m.bins[b]; x; x = *lnext(x))
            if (bsize(x) >= need) {
                blk = x;
                break;
            }
        b++;
    }
    if (!blk) {
        for (; b < NBINS; b++) {
            uint32_t w = m.map[b >> 5] >> (b & 31);
            if (!w) {
                b = (b | 31);
                continue;
            }
            b += __builtin_ctz(w);
            if (b >= NBINS)
                break;
            blk = m.bins[b];
            break;
        }
    }
    if (!blk)
        return 0;
    uint32_t size = bsize(blk);
    UNPOISON(plat_ptr(blk), size);
    bin_remove(blk, size);
    uint32_t prevbit = *hdr(blk) & PREVUSED;
    if (size - need >= MINBLOCK) {
        plat_ref_t rest = blk + need;
        *hdr(rest) = (size - need) | PREVUSED;
        bin_insert(rest, size - need);
        size = need;
    } else {
        *hdr(blk + size) |= PREVUSED;
    }
    *hdr(blk) = size | USED | prevbit;
    m.used += size;
    if (m.used > m.peak)
        m.peak = m.used;
    return blk;
}

static uint32_t need_of(size_t n)
{
    if (n > vm_mem_size)
        return 0;
    uint32_t need = ((uint32_t)n + 4 + 7) & ~7u;
    return need < MINBLOCK ? MINBLOCK : need;
}

static int may_collect(vm_State *L)
{
    vm_global_t *g;
    if (!L)
        return 0;
    g = G(L);
    return g->ready && !g->gcbusy;
}

/* A new block of need bytes, collecting when the heap cannot serve (or
** always, under gc_stress); NULL if it still cannot. Not counted. */
static void *fresh(vm_State *L, uint32_t need)
{
    if (may_collect(L) && G(L)->gc_stress)
        vm_gc_emergency(L);
    plat_ref_t blk = take(need);
    if (!blk && may_collect(L)) {
        vm_gc_emergency(L);
        blk = take(need);
    }
    return blk ? plat_ptr(blk + 4) : NULL;
}

void *vm_mem_tryalloc(vm_State *L, size_t n)
{
    uint32_t need = need_of(n);
    if (!need || counted_fails())
        return NULL;
    return fresh(L, need);
}

void *vm_mem_alloc(vm_State *L, size_t n)
{
    void *p = vm_mem_tryalloc(L, n);
    if (!p && L)
        vm_err_mem(L);
    return p;
}

void vm_mem_free(void *p)
{
    if (!p)
        return;
    plat_ref_t blk = plat_ref(p) - 4;
    m.used -= bsize(blk);
    release(blk);
}

void *vm_mem_realloc(vm_State *L, void *p, size_t n)
{
    if (!p)
        return vm_mem_alloc(L, n);
    plat_ref_t blk = plat_ref(p) - 4;
    uint32_t size = bsize(blk);
    uint32_t need = need_of(n);
    if (!need) {
        if (L)
            vm_err_mem(L);
        return NULL;
    }
    if (need <= size) {
        if (size - need >= MINBLOCK) {
            uint32_t h = *hdr(blk);
            *hdr(blk) = need | (h & ~SIZEMASK);
            plat_ref_t rest = blk + need;
            *hdr(rest) = (size - need) | USED | PREVUSED;
            m.used -= size - need;
            release(rest);
        }
        return p;
    }
    if (counted_fails()) {
        if (L)
            vm_err_mem(L);
        return NULL;
    }
    plat_ref_t nb = blk + size;
    uint32_t nh = *hdr(nb);
    if (!(nh & USED) && size + (nh & SIZEMASK) >= need &&
        !(L && G(L)->gc_stress)) {
        uint32_t ns = nh & SIZEMASK;
        UNPOISON(plat_ptr(nb), ns);
        bin_remove(nb, ns);
        uint32_t total = size + ns;
        uint32_t h = *hdr(blk);
        if (total - need >= MINBLOCK) {
            plat_ref_t rest = blk + need;
            *hdr(rest) = (total - need) | PREVUSED;
            bin_insert(rest, total - need);
            total = need;
        } else {
            *hdr(blk + total) |= PREVUSED;
        }
        *hdr(blk) = total | (h & ~SIZEMASK);
        m.used += total - size;
        if (m.used > m.peak)
            m.peak = m.used;
        return p;
    }
    void *q = fresh(L, need);   /* counted above */
    if (!q) {
        if (L)
            vm_err_mem(L);
        return NULL;
    }
    memcpy(q, p, size - 4);
    vm_mem_free(p);
    return q;
}

uint32_t vm_mem_used(void)
{
    return m.used;
}

void vm_mem_stats(vm_heapstats *st)
{
    uint32_t largest = 0;
    for (int b = NBINS - 1; b >= 0 && !largest; b--)
        for (plat_ref_t x = m.bins[b]; x; x = *lnext(x))
            if (bsize(x) > largest)
                largest = bsize(x);
    st->size = vm_mem_size;
    st->used = m.used;
    st->peak = m.peak;
    st->largest = largest > 4 ? largest - 4 : 0;
}
