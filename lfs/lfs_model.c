/*
** lfs_model.c: the arena behind lfs_model_t and Proto tree comparison
** (see lfs_model.h). May call: libc.
*/
#include "lfs/lfs_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536

struct lfs_arena_block {
    lfs_arena_block_t *next;
    size_t size, used;
    max_align_t data[];
};

void lfs_model_init(lfs_model_t *m) { memset(m, 0, sizeof *m); }

void lfs_model_free(lfs_model_t *m)
{
    lfs_arena_block_t *b = m->blocks;
    while (b) {
        lfs_arena_block_t *next = b->next;
        free(b);
        b = next;
    }
    m->blocks = NULL;
    m->used = 0;
}

void *lfs_model_alloc(lfs_model_t *m, size_t n)
{
    size_t al = sizeof(max_align_t);
    n = (n + al - 1) / al * al;
    if (n == 0)
        n = al;
    if (m->limit && (n > m->limit || m->used > m->limit - n))
        return NULL;
    lfs_arena_block_t *b = m->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = m->blocks;
        m->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    m->used += n;
    memset(p, 0, n);
    return p;
}

int lfs_model_str(lfs_model_t *m, const void *p, uint32_t len,
                  lfs_str_t *out)
{
    char *s = lfs_model_alloc(m, (size_t)len + 1);
    if (!s)
        return -1;
    if (len)
        memcpy(s, p, len);
    s[len] = 0;
    out->data = s;
    out->len = len;
    return 0;
}

lfs_proto_t *lfs_model_proto(lfs_model_t *m)
{
    return lfs_model_alloc(m, sizeof(lfs_proto_t));
}

static int differ(char *why, size_t n, const char *path, const char *what)
{
    snprintf(why, n, "%s: %s differs", path, what);
    return 1;
}

static int kcmp(const lfs_const_t *a, const lfs_const_t *b)
{
    if (a->type != b->type)
        return 1;
    switch (a->type) {
    case LFS_KNIL: return 0;
    case LFS_KBOOL: return a->b != b->b;
    case LFS_KNUM: return memcmp(&a->n, &b->n, sizeof a->n) != 0;
    case LFS_KINT: return a->i != b->i;
    case LFS_KSTR: return !lfs_str_eq(a->s, b->s);
    }
    return 1;
}

static int cmp(const lfs_proto_t *a, const lfs_proto_t *b, char *path,
               char *why, size_t n)
{
    size_t pl = strlen(path);
    if (!lfs_str_eq(a->source, b->source))
        return differ(why, n, path, "source");
    if (a->linedefined != b->linedefined ||
        a->lastlinedefined != b->lastlinedefined)
        return differ(why, n, path, "linedefined");
    if (a->nups != b->nups || a->numparams != b->numparams ||
        a->is_vararg != b->is_vararg || a->maxstacksize != b->maxstacksize)
        return differ(why, n, path, "header bytes");
    if (a->sizecode != b->sizecode ||
        memcmp(a->code, b->code, sizeof *a->code * (size_t)a->sizecode))
        return differ(why, n, path, "code");
    if (a->sizek != b->sizek)
        return differ(why, n, path, "sizek");
    for (int i = 0; i < a->sizek; i++)
        if (kcmp(&a->k[i], &b->k[i])) {
            snprintf(path + pl, 32, ".k[%d]", i);
            return differ(why, n, path, "constant");
        }
    if (a->sizelineinfo != b->sizelineinfo ||
        (a->sizelineinfo && memcmp(a->lineinfo, b->lineinfo,
                                   sizeof(int) * (size_t)a->sizelineinfo)))
        return differ(why, n, path, "lineinfo");
    for (int i = 0; i < a->sizelineinfo; i++)
        if ((a->linefix && a->linefix[i]) != (b->linefix && b->linefix[i]))
            return differ(why, n, path, "linefix");
    if (a->sizelocvars != b->sizelocvars)
        return differ(why, n, path, "sizelocvars");
    for (int i = 0; i < a->sizelocvars; i++)
        if (!lfs_str_eq(a->locvars[i].varname, b->locvars[i].varname) ||
            a->locvars[i].startpc != b->locvars[i].startpc ||
            a->locvars[i].endpc != b->locvars[i].endpc)
            return differ(why, n, path, "locvars");
    if (a->sizeupvalues != b->sizeupvalues)
        return differ(why, n, path, "sizeupvalues");
    for (int i = 0; i < a->sizeupvalues; i++)
        if (!lfs_str_eq(a->upvalues[i].name, b->upvalues[i].name) ||
            a->upvalues[i].instack != b->upvalues[i].instack ||
            a->upvalues[i].idx != b->upvalues[i].idx)
            return differ(why, n, path, "upvalues");
    if (a->sizep != b->sizep)
        return differ(why, n, path, "sizep");
    for (int i = 0; i < a->sizep; i++) {
        if (pl + 16 >= 1024)
            return differ(why, n, path, "nesting");
        snprintf(path + pl, 32, ".p[%d]", i);
        if (cmp(a->p[i], b->p[i], path, why, n))
            return 1;
        path[pl] = 0;
    }
    return 0;
}

int lfs_proto_cmp(const lfs_proto_t *a, const lfs_proto_t *b, char *why,
                  size_t n)
{
    char path[1024] = "main";
    return cmp(a, b, path, why, n);
}

static uint32_t strmap_hash(lfs_str_t s)
{
    uint32_t h = 2166136261u;          /* FNV-1a */
    for (uint32_t i = 0; i < s.len; i++)
        h = (h ^ (uint8_t)s.data[i]) * 16777619u;
    return h ^ (s.data ? 0 : 0x9e3779b9u);
}

void lfs_strmap_init(lfs_strmap_t *sm, lfs_model_t *m)
{
    memset(sm, 0, sizeof *sm);
    sm->m = m;
}

static int strmap_slot(const lfs_strmap_t *sm, lfs_str_t s)
{
    uint32_t mask = sm->cap - 1, i = strmap_hash(s) & mask;
    while (sm->vals[i] != -1 && !lfs_str_eq(sm->keys[i], s))
        i = (i + 1) & mask;
    return (int)i;
}

int lfs_strmap_get(const lfs_strmap_t *sm, lfs_str_t s)
{
    if (sm->cap == 0)
        return -1;
    return sm->vals[strmap_slot(sm, s)];
}

int lfs_strmap_put(lfs_strmap_t *sm, lfs_str_t s, int val)
{
    if (val < 0)
        return -1;
    if ((sm->count + 1) * 2 > sm->cap) {
        lfs_strmap_t big = *sm;
        big.cap = sm->cap ? sm->cap * 2 : 64;
        big.count = 0;
        big.keys = lfs_model_alloc(sm->m, sizeof *big.keys * big.cap);
        big.vals = lfs_model_alloc(sm->m, sizeof *big.vals * big.cap);
        if (!big.keys || !big.vals)
            return -1;
        memset(big.vals, 0xFF, sizeof *big.vals * big.cap);
        for (uint32_t i = 0; i < sm->cap; i++)
            if (sm->vals[i] != -1) {
                int j = strmap_slot(&big, sm->keys[i]);
                big.keys[j] = sm->keys[i];
                big.vals[j] = sm->vals[i];
                big.count++;
            }
        *sm = big;
    }
    int j = strmap_slot(sm, s);
    if (sm->vals[j] == -1)
        sm->count++;
    sm->keys[j] = s;
    sm->vals[j] = val;
    return 0;
}
