/*
** lfs51_strtab.c: the order in which NodeMCU's 5.1 luac.cross allocates
** the image's strings. It scans the Proto tree (docs/lfs51.md §3.10) inserting
** every string into a Lua table, then enumerates that table; so the order
** is the node order of NodeMCU's ltable.c after those inserts, which grows
** its node vector in place (Appendix A). Only byte-identity depends on
** this; any order loads.
** Twin: none (the order is consumed by lfs51_write.c). May call:
** lfs_model, lfs51_lines, libc.
*/
#include "lfs/lfs51.h"

#include <stdlib.h>
#include <string.h>

#include "lfs/lfs51_lines.h"

#define NONE (-1)

typedef struct node {
    int key;            /* index into the string list, or NONE */
    int hasval;
    int next;           /* node index, or NONE */
} node_t;

typedef struct htab {
    node_t *node;
    int size;           /* 0: the shared empty dummy node */
    int lastfree;
    const lfs_str_t *strs;
    const uint32_t *hash;
} htab_t;

static int mainpos(const htab_t *t, int key)
{
    return t->size ? (int)(t->hash[key] & (uint32_t)(t->size - 1)) : 0;
}

static int ceillog2(int x)
{
    int l = 0;
    while ((1 << l) < x)
        l++;
    return l;
}

static int in_chain(const htab_t *t, int from, int target)
{
    for (int x = from, steps = 0; x != NONE && steps <= t->size;
         x = t->node[x].next, steps++)
        if (x == target)
            return 1;
    return 0;
}

/* One step of re-placing node i after growth; 1 when done. */
static int move(htab_t *t, int i)
{
    node_t *n = t->node;
    int mp = mainpos(t, n[i].key);
    if (mp == i || in_chain(t, mp, i))
        return 1;
    if (n[mp].hasval) {
        int omp = mainpos(t, n[mp].key);
        if (omp != mp) {
            int pred = NONE;
            for (int x = omp, steps = 0; x != NONE && steps <= t->size;
                 x = n[x].next, steps++)
                if (n[x].next == mp) {
                    pred = x;
                    break;
                }
            if (pred != NONE)
                n[pred].next = i;
            node_t tmp = n[i];
            n[i] = n[mp];
            n[mp] = tmp;
            return pred != NONE;
        }
        n[i].next = n[mp].next;
        n[mp].next = i;
        return 1;
    }
    n[mp] = n[i];
    n[i].key = NONE;
    n[i].hasval = 0;
    n[i].next = NONE;
    return 1;
}

static int rehash(htab_t *t)
{
    int used = 0;
    for (int i = 0; i < t->size; i++)
        used += t->node[i].hasval;
    int nsize = 1 << ceillog2(used + 1);
    node_t *nn = realloc(t->node, sizeof *nn * (size_t)nsize);
    if (!nn)
        return -1;
    for (int i = 0; i < nsize; i++) {
        if (i >= t->size)
            nn[i].hasval = 0;
        nn[i].next = NONE;
        if (!nn[i].hasval)
            nn[i].key = NONE;
    }
    t->node = nn;
    t->size = nsize;
    t->lastfree = nsize;
    for (int i = 0; i < nsize; i++) {
        int guard = 0;
        if (t->node[i].hasval)
            while (!move(t, i) && ++guard <= nsize)
                ;
    }
    return 0;
}

static int insert(htab_t *t, int key)
{
    const lfs_str_t s = t->strs[key];
    if (t->size) {
        for (int x = mainpos(t, key); x != NONE; x = t->node[x].next)
            if (t->node[x].hasval && lfs_str_eq(t->strs[t->node[x].key], s))
                return 0;
    }
    for (;;) {
        if (t->size == 0) {
            if (rehash(t))
                return -1;
            continue;
        }
        int mp = mainpos(t, key);
        if (!t->node[mp].hasval) {
            t->node[mp].key = key;
            t->node[mp].hasval = 1;
            return 0;
        }
        int f = NONE;
        while (t->lastfree > 0)
            if (t->node[--t->lastfree].key == NONE) {
                f = t->lastfree;
                break;
            }
        if (f == NONE) {
            if (rehash(t))
                return -1;
            continue;
        }
        node_t *n = t->node;
        int othern = mainpos(t, n[mp].key);
        if (othern != mp) {
            while (n[othern].next != mp)
                othern = n[othern].next;
            n[othern].next = f;
            n[f] = n[mp];
            n[mp].next = NONE;
            n[mp].key = key;
            n[mp].hasval = 1;
        } else {
            n[f].next = n[mp].next;
            n[mp].next = f;
            n[f].key = key;
            n[f].hasval = 1;
        }
        return 0;
    }
}

typedef struct scan {
    lfs_model_t *m;
    lfs_str_t *list;
    int n, cap;
    int err;
} scan_t;

static void add(scan_t *sc, lfs_str_t s)
{
    if (!s.data || sc->err)
        return;
    if (sc->n == sc->cap) {
        int cap = sc->cap ? sc->cap * 2 : 256;
        lfs_str_t *nl = lfs_model_alloc(sc->m, sizeof *nl * (size_t)cap);
        if (!nl) {
            sc->err = -1;
            return;
        }
        if (sc->n)
            memcpy(nl, sc->list, sizeof *nl * (size_t)sc->n);
        sc->list = nl;
        sc->cap = cap;
    }
    sc->list[sc->n++] = s;
}

static void walk(scan_t *sc, const lfs_proto_t *f)
{
    add(sc, f->source);
    if (f->sizelineinfo) {
        lfs_buf_t b;
        lfs_str_t s;
        lfs_buf_init(&b);
        lfs51_lines_pack(f->lineinfo, f->linefix, f->sizelineinfo, &b);
        if (b.err || lfs_model_str(sc->m, b.data, (uint32_t)b.len, &s))
            sc->err = -1;
        else
            add(sc, s);
        lfs_buf_free(&b);
    }
    for (int i = 0; i < f->sizek; i++)
        if (f->k[i].type == LFS_KSTR)
            add(sc, f->k[i].s);
    for (int i = 0; i < f->sizeupvalues; i++)
        add(sc, f->upvalues[i].name);
    for (int i = 0; i < f->sizelocvars; i++)
        add(sc, f->locvars[i].varname);
    for (int i = 0; i < f->sizep; i++)
        walk(sc, f->p[i]);
}

int lfs51_strtab(lfs_model_t *m, const lfs_proto_t *index, lfs_str_t **strs,
                 int *n)
{
    scan_t sc = { m, NULL, 0, 0, 0 };
    walk(&sc, index);
    if (sc.err)
        return LFS_ENOMEM;
    uint32_t *hash = malloc(sizeof *hash * (size_t)(sc.n ? sc.n : 1));
    htab_t t = { NULL, 0, 0, sc.list, hash };
    int rc = hash ? 0 : LFS_ENOMEM;
    for (int i = 0; i < sc.n && !rc; i++)
        hash[i] = lfs51_hash(sc.list[i].data, sc.list[i].len);
    for (int i = 0; i < sc.n && !rc; i++)
        if (insert(&t, i))
            rc = LFS_ENOMEM;
    lfs_str_t *out = rc ? NULL
                        : lfs_model_alloc(m, sizeof *out * (size_t)(t.size + 1));
    if (!rc && !out)
        rc = LFS_ENOMEM;
    int k = 0;
    for (int i = 0; !rc && i < t.size; i++)
        if (t.node[i].hasval)
            out[k++] = sc.list[t.node[i].key];
    free(t.node);
    free(hash);
    if (rc)
        return rc;
    *strs = out;
    *n = k;
    return 0;
}
