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
