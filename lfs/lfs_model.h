/*
** lfs_model.h: the in-memory Proto model every reader fills and every
** writer walks. One model serves both dialects: a Proto tree plus the
** strings it uses, all allocated from one arena owned by lfs_model_t, so a
** reader that fails half-way leaks nothing (lfs_model_free frees it all).
** Line info is kept unpacked (one source line per instruction); writers
** pack it into the target encoding.
** Twin: none. May call: libc. Spec: docs/lfs51.md §2.6, docs/lfs53.md §6.5.
*/
#ifndef LFS_MODEL_H
#define LFS_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* A byte string; data is NUL-terminated for convenience. data == NULL
** means "absent" (a NULL TString pointer), distinct from the empty string. */
typedef struct lfs_str {
    const char *data;
    uint32_t len;
} lfs_str_t;

typedef enum lfs_ktype {
    LFS_KNIL,
    LFS_KBOOL,
    LFS_KNUM,       /* a float (lua_Number) */
    LFS_KINT,       /* an integer (5.3 lua_Integer, or a 5.1 int build) */
    LFS_KSTR
} lfs_ktype_t;

typedef struct lfs_const {
    lfs_ktype_t type;
    int b;          /* LFS_KBOOL */
    double n;       /* LFS_KNUM */
    int64_t i;      /* LFS_KINT */
    lfs_str_t s;    /* LFS_KSTR */
} lfs_const_t;

typedef struct lfs_locvar {
    lfs_str_t varname;
    int startpc, endpc;
} lfs_locvar_t;

/* 5.3 upvalue descriptor; 5.1 Protos use only name. */
typedef struct lfs_upval {
    lfs_str_t name;
    uint8_t instack, idx;
} lfs_upval_t;

typedef struct lfs_proto {
    lfs_str_t source;           /* absent: same as the parent's (dumps) */
    int linedefined, lastlinedefined;
    uint8_t nups;               /* 5.1: upvalue count used by CLOSURE */
    uint8_t numparams, is_vararg, maxstacksize;
    uint32_t *code;
    int sizecode;
    lfs_const_t *k;
    int sizek;
    struct lfs_proto **p;
    int sizep;
    int *lineinfo;              /* one line per instruction, or NULL */
    int sizelineinfo;           /* 0 (stripped) or sizecode */
    /* NodeMCU 5.1 only: linefix[i] != 0 when the parser moved instruction
    ** i to an earlier line after emitting it (luaK_fixline: calls, for
    ** loops, function statements). Its packer then starts a new record
    ** even for the same line (docs/lfs51.md §3.9). NULL: no such instruction.
    ** */
    uint8_t *linefix;
    /* NodeMCU 5.3 only: the packed line info exactly as stored, with its
    ** terminating 00 (docs/lfs53.md §9). Readers of NodeMCU 5.3 formats set it
    ** beside lineinfo; the front end sets it when the compiler's fix-line
    ** quirk makes it differ from the canonical packing of lineinfo. Writers
    ** use it when set. NULL: pack lineinfo. */
    const uint8_t *lineblob;
    int sizelineblob;
    lfs_locvar_t *locvars;
    int sizelocvars;
    lfs_upval_t *upvalues;      /* names (5.1) or descriptors (5.3) */
    int sizeupvalues;
} lfs_proto_t;

/* The arena: a chain of blocks, freed together. */
typedef struct lfs_arena_block lfs_arena_block_t;

typedef struct lfs_model {
    lfs_arena_block_t *blocks;
    size_t used;                /* bytes handed out, for limits */
    size_t limit;               /* 0: none; else allocations beyond fail */
} lfs_model_t;

void lfs_model_init(lfs_model_t *m);
void lfs_model_free(lfs_model_t *m);
/* Zeroed memory from the arena; NULL when out of memory or over limit. */
void *lfs_model_alloc(lfs_model_t *m, size_t n);
/* Copy len bytes into the arena as a string (NUL-terminated). */
int lfs_model_str(lfs_model_t *m, const void *p, uint32_t len,
                  lfs_str_t *out);
lfs_proto_t *lfs_model_proto(lfs_model_t *m);

static inline int lfs_str_eq(lfs_str_t a, lfs_str_t b)
{
    return a.len == b.len && (a.data == b.data ||
           (a.data && b.data && __builtin_memcmp(a.data, b.data, a.len) == 0));
}




/* A map from byte strings to ints (string -> offset, string -> index),
** allocated in a model's arena; no removal. */
typedef struct lfs_strmap {
    lfs_model_t *m;
    lfs_str_t *keys;
    int *vals;
    uint32_t cap, count;        /* cap is a power of two, or 0 */
} lfs_strmap_t;

void lfs_strmap_init(lfs_strmap_t *sm, lfs_model_t *m);
/* The value for s, or -1. */
int lfs_strmap_get(const lfs_strmap_t *sm, lfs_str_t s);
/* Insert or replace; -1 when out of memory. */
int lfs_strmap_put(lfs_strmap_t *sm, lfs_str_t s, int val);

#endif
