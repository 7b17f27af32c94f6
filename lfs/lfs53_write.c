/*
** lfs53_write.c: writes NodeMCU Lua 5.3 LFS images: the image stream
** (format 11) and the flash region the firmware's loader builds from it.
** The string table is numbered exactly as luac.cross numbers it, so
** streams are byte-identical to NodeMCU's; the one deliberate difference
** (opts loader_fixed) is the fixed-string trap of §4.3. Also builds the
** index function an image holds, and its sibling, the main function of
** a .lc file of several sources.
** Spec: docs/lfs53.md §4.2-§4.6 (stream), §5.3-§5.7 and §6 (region), §10.
** Twin: lfs53_read.c. May call: lc53, lfs_model, lfs_buf, libc.
*/
#include "lfs/lfs53.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc53_func.h"

const char *const lfs53_fixed[LFS53_NFIXED] = {
    /* 1-22: reserved words; extra = k in their TStrings */
    "and", "break", "do", "else", "elseif", "end", "false", "for",
    "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
    "return", "then", "true", "until", "while",
    /* 23-37: other tokens */
    "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::", "<eof>",
    "<number>", "<integer>", "<name>", "<string>",
    /* 38-39 */
    "not enough memory", "_ENV",
    /* 40-63: metamethods */
    "__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__add",
    "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__band",
    "__bor", "__bxor", "__shl", "__shr", "__unm", "__bnot", "__lt", "__le",
    "__concat", "__call",
    /* 64-71: type names, deduplicated by the dumper */
    "no value", "boolean", "userdata", "number", "string", "table",
    "thread", "proto"
};

uint32_t lfs53_hash(const char *s, size_t len, uint32_t seed)
{
    uint32_t h = seed ^ (uint32_t)len;
    size_t step = (len >> 5) + 1;
    for (size_t l = len; l >= step; l -= step)
        h ^= (h << 5) + (h >> 2) + (uint8_t)s[l - 1];
    return h;
}

void lfs53_module_name(lfs_str_t source, char *out, size_t n)
{
    const char *s = source.data ? source.data + (source.len > 0) : "";
    const char *b = s;
    for (const char *p = s; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    while (*b == '.')
        b++;
    size_t len = strcspn(b, ".");
    if (len >= n)
        len = n - 1;
    memcpy(out, b, len);
    out[len] = 0;
}

/* Instruction encoding of stock Lua 5.3 (lopcodes.h). */
#define OP_RETURN 38

/* What the index and the main of several files share: source
** "=(luac.cross)", vararg, a bare RETURN, the n functions as children
** (their upvalue 0, _ENV, not in the stack); NULL when out of memory. */
static lfs_proto_t *holder(lfs_model_t *m, lfs_proto_t **mods, int n)
{
    lfs_proto_t *f = lfs_model_proto(m);
    if (!f || lfs_model_str(m, LFS53_INDEX_SOURCE,
                            (uint32_t)strlen(LFS53_INDEX_SOURCE),
                            &f->source))
        return NULL;
    f->is_vararg = 1;
    f->maxstacksize = 2;
    f->sizecode = 1;
    f->code = lfs_model_alloc(m, 4);
    f->sizep = n;
    f->p = lfs_model_alloc(m, sizeof *f->p * (size_t)(n ? n : 1));
    if (!f->code || !f->p)
        return NULL;
    f->code[0] = OP_RETURN | 1u << 23;          /* RETURN 0 1 */
    for (int i = 0; i < n; i++) {
        f->p[i] = mods[i];
        if (mods[i]->sizeupvalues > 0)
            mods[i]->upvalues[0].instack = 0;
    }
    return f;
}

lfs_proto_t *lfs53_build_index(lfs_model_t *m, lfs_proto_t **mods,
                               const lfs_str_t *names, int n,
                               int64_t timestamp)
{
    lfs_proto_t *f = holder(m, mods, n);
    if (!f)
        return NULL;
    f->sizek = n + 1;
    f->k = lfs_model_alloc(m, sizeof *f->k * (size_t)(n + 1));
    if (!f->k)
        return NULL;
    for (int i = 0; i < n; i++) {
        f->k[i].type = LFS_KSTR;
        f->k[i].s = names[i];
    }
    f->k[n].type = LFS_KINT;
    f->k[n].i = timestamp;
    return f;
}

lfs_proto_t *lfs53_build_main(lfs_model_t *m, lfs_proto_t **mods, int n)
{
    lfs_proto_t *f = holder(m, mods, n);
    if (!f)
        return NULL;
    f->sizeupvalues = f->nups = 1;
    f->upvalues = lfs_model_alloc(m, sizeof *f->upvalues);
    if (!f->upvalues)
        return NULL;
    f->upvalues[0].instack = 1;
    return f;
}

/* ---- string table (§4.3) ----------------------------------------------- */

typedef struct strtab {
    lfs_model_t *m;
    lfs_strmap_t map;       /* string -> 1-based reference */
    lfs_str_t *strs;        /* dumped strings, in order */
    int n, cap;
    int strip;
    int err;
} strtab_t;

static int add_string(strtab_t *t, lfs_str_t s)
{
    if (!s.data || lfs_strmap_get(&t->map, s) >= 0)
        return 0;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 256;
        lfs_str_t *v = lfs_model_alloc(t->m, sizeof *v * (size_t)cap);
        if (!v)
            return t->err = LFS_ENOMEM;
        if (t->n)
            memcpy(v, t->strs, sizeof *v * (size_t)t->n);
        t->strs = v;
        t->cap = cap;
    }
    t->strs[t->n++] = s;
    if (lfs_strmap_put(&t->map, s, t->n))
        return t->err = LFS_ENOMEM;
    return 0;
}

static void scan(strtab_t *t, const lfs_proto_t *f, int depth)
{
    add_string(t, f->source);
    for (int i = 0; i < f->sizek; i++)
        if (f->k[i].type == LFS_KSTR)
            add_string(t, f->k[i].s);
    if (!t->strip) {
        for (int i = 0; i < f->sizeupvalues; i++)
            add_string(t, f->upvalues[i].name);
        for (int i = 0; i < f->sizelocvars; i++)
            add_string(t, f->locvars[i].varname);
    }
    if (depth < LC53_MAXDEPTH)
        for (int i = 0; i < f->sizep; i++)
            scan(t, f->p[i], depth + 1);
}

/* Number the strings: the fixed ones are registered first (negative
** marks), so a tree string equal to one is never dumped. */
static int build_strtab(strtab_t *t, lfs_model_t *m, const lfs_proto_t *idx,
                        int strip)
{
    memset(t, 0, sizeof *t);
    t->m = m;
    t->strip = strip;
    lfs_strmap_init(&t->map, m);
    for (int k = 0; k < LFS53_NFIXED; k++) {
        lfs_str_t s = { lfs53_fixed[k], (uint32_t)strlen(lfs53_fixed[k]) };
        if (lfs_strmap_put(&t->map, s, 0))
            return LFS_ENOMEM;
    }
    scan(t, idx, 0);
    return t->err;
}

/* The reference of s: 1..n dumped, n+k fixed (k as the dumper or as the
** loader numbers it). */
static int fixed_index(lfs_str_t s)
{
    for (int k = 0; k < LFS53_NFIXED; k++)
        if (strlen(lfs53_fixed[k]) == s.len &&
            memcmp(lfs53_fixed[k], s.data, s.len) == 0)
            return k + 1;
    return 0;
}

static int64_t string_ref(const strtab_t *t, lfs_str_t s, int loader_fixed)
{
    int r = lfs_strmap_get(&t->map, s);
    if (r > 0)
        return r;
    int k = fixed_index(s);
    /* §4.3: the loader inserts a second "userdata" after "table", so its
    ** entries 70..72 are userdata, thread, proto. */
    if (loader_fixed && k == 66)
        k = 70;
    else if (loader_fixed && k >= 70)
        k++;
    return t->n + k;
}

/* ---- the stream (§4.2) ------------------------------------------------- */

typedef struct stream {
    strtab_t t;
    const lfs53_opts_t *o;
} stream_t;

static void ref_string(lc53_fn_writer_t *w, lfs_str_t s)
{
    stream_t *st = w->ud;
    if (!s.data) {
        lfs_buf_u8(w->b, LC53_TT_SSTRING);
        return;
    }
    lc53_write_ttint(w->b, s.len <= LC53_MAXSHORTLEN ? LC53_TT_SSTRING
                                                     : LC53_TT_LSTRING,
                     string_ref(&st->t, s, st->o->loader_fixed));
}

static int64_t seed_value(uint32_t seed, int int64)
{
    return int64 ? (int64_t)seed : (int64_t)(int32_t)seed;
}

int lfs53_write(const lfs_proto_t *index, const lfs53_opts_t *o,
                lfs_buf_t *out, lfs_diag_t *d)
{
    lfs_model_t m;
    stream_t st;
    lc53_target_t tgt = { o->int64, o->strip };
    int n = index->sizep, rc;
    if (index->sizek != n + 1 || index->k[n].type != LFS_KINT)
        return lfs_fail(d, -1, LFS_EUSAGE, "not an index function: %d"
                        " constants for %d modules", index->sizek, n);
    lfs_model_init(&m);
    st.o = o;
    if ((rc = build_strtab(&st.t, &m, index, o->strip)) != 0) {
        lfs_model_free(&m);
        return lfs_fail(d, -1, rc, "out of memory numbering strings");
    }
    uint32_t maxlen = LFS53_MINMAXLEN, nshort = LFS53_NFIXED, nlong = 0;
    for (int i = 0; i < st.t.n; i++) {
        if (st.t.strs[i].len > maxlen)
            maxlen = st.t.strs[i].len;
        if (st.t.strs[i].len <= LC53_MAXSHORTLEN)
            nshort++;
        else
            nlong++;
    }
    lc53_write_header(out, LC53_FORMAT_LFS, o->int64);
    lc53_write_ttint(out, LC53_TT_PINT, seed_value(o->seed, o->int64));
    lfs_buf_put(out, "\x19ss", 3);
    lc53_write_mbint(out, maxlen);
    lc53_write_mbint(out, nshort);
    lc53_write_mbint(out, nlong);
    lc53_write_mbint(out, (uint64_t)st.t.n);
    for (int i = 0; i < st.t.n; i++) {
        lfs_str_t s = st.t.strs[i];
        lc53_write_ttint(out, s.len <= LC53_MAXSHORTLEN ? LC53_TT_SSTRING
                                                        : LC53_TT_LSTRING,
                         (int64_t)s.len + 1);
        lfs_buf_put(out, s.data, s.len);
    }
    lfs_buf_put(out, "\x19pr", 3);
    lc53_write_mbint(out, (uint64_t)n);
    lc53_fn_writer_t w;
    memset(&w, 0, sizeof w);
    w.b = out;
    w.t = &tgt;
    w.d = d;
    w.put_string = ref_string;
    w.ud = &st;
    for (int i = 0; i < n; i++)
        lc53_write_function(&w, index->p[i], index->source);
    lc53_write_mbint(out, (uint64_t)n + 1);
    for (int i = 0; i < n; i++)
        ref_string(&w, index->k[i].s);
    int64_t ts = index->k[n].i;
    lc53_write_ttint(out, LC53_TT_PINT, o->int64 ? ts : (int32_t)ts);
    lfs_model_free(&m);
    if (w.err)
        return w.err;
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing image");
    return 0;
}

/* ---- the flash region (§5, §6) ---------------------------------------- */

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

static size_t tvalue_size(int int64) { return int64 ? 12 : 8; }

static size_t proto_bytes(const lfs_proto_t *f, int int64, int strip,
                          int depth)
{
    size_t n = 0;
    for (int i = 0; i < f->sizep && depth < LC53_MAXDEPTH; i++)
        n += proto_bytes(f->p[i], int64, strip, depth + 1);
    size_t lines = f->lineblob ? (size_t)f->sizelineblob : 0;
    if (!f->lineblob && f->sizelineinfo) {
        lfs_buf_t b;
        lfs_buf_init(&b);
        lc53_lines_pack(f->lineinfo, f->sizelineinfo, &b);
        lines = b.len;
        lfs_buf_free(&b);
    }
    n += 4 * (size_t)f->sizep + 4 * (size_t)f->sizecode +
         tvalue_size(int64) * (size_t)f->sizek +
         8 * (size_t)f->sizeupvalues + pad4(lines) +
         12 * (size_t)(strip ? 0 : f->sizelocvars) +
         LFS53_PROTO_SIZE;
    return n;
}

static uint32_t bucket_count(uint32_t nshort)
{
    uint32_t n = 1;
    while (n < nshort)
        n <<= 1;
    return n;
}

size_t lfs53_region_size(const lfs_proto_t *index, int int64, int strip)
{
    lfs_model_t m;
    strtab_t t;
    size_t n = sizeof(lfs53_header_t);
    uint32_t nshort = LFS53_NFIXED;
    lfs_model_init(&m);
    if (build_strtab(&t, &m, index, strip)) {
        lfs_model_free(&m);
        return (size_t)-1;
    }
    for (int i = 0; i < t.n; i++) {
        n += LFS53_TSTRING_SIZE + pad4(t.strs[i].len + 1);
        nshort += t.strs[i].len <= LC53_MAXSHORTLEN;
    }
    for (int k = 0; k < LFS53_NFIXED; k++)
        n += LFS53_TSTRING_SIZE + pad4(strlen(lfs53_fixed[k]) + 1);
    n += LFS53_TSTRING_SIZE + pad4(sizeof "userdata");  /* the duplicate */
    n += 4 * (size_t)bucket_count(nshort);
    for (int i = 0; i < index->sizep; i++)
        n += proto_bytes(index->p[i], int64, strip, 1);
    n += (4 + tvalue_size(int64)) * (size_t)(index->sizep + 1) +
         LFS53_ROTABLE_SIZE;
    lfs_model_free(&m);
    return n;
}

/* Region writer state: the bytes from base (header first, filled last),
** where each string landed, and the list heads of §5.4/§5.5. */
typedef struct region {
    lfs_buf_t *b;
    uint32_t base;
    int int64;
    uint32_t seed;
    lfs_strmap_t addr;      /* string -> offset of its TString */
    uint32_t *buckets, nbuckets;
    uint32_t short_head, long_head, proto_head;     /* offsets, 0: none */
    int strip;              /* -s: no upvalue or local names, as the stream */
    int err;
} region_t;

static uint32_t at_addr(const region_t *r, size_t off)
{
    return r->base + (uint32_t)off;
}

static void put_tstring(region_t *r, const char *s, uint32_t len,
                        int extra)
{
    int is_short = len <= LC53_MAXSHORTLEN;
    uint32_t h = lfs53_hash(s, len, r->seed);
    size_t off = r->b->len;
    uint32_t *head = is_short ? &r->short_head : &r->long_head;
    lfs_buf_le32(r->b, *head ? at_addr(r, *head) : r->base);    /* next */
    lfs_buf_u8(r->b, is_short ? 0x04 : 0x14);                   /* tt */
    lfs_buf_u8(r->b, 0x60);                                     /* marked */
    lfs_buf_u8(r->b, (uint8_t)(is_short ? extra : 1));          /* extra */
    lfs_buf_u8(r->b, (uint8_t)(is_short ? len : 0));            /* shrlen */
    lfs_buf_le32(r->b, h);
    if (is_short) {
        uint32_t *bucket = &r->buckets[h & (r->nbuckets - 1)];
        lfs_buf_le32(r->b, *bucket);                            /* hnext */
        *bucket = at_addr(r, off);
    } else {
        lfs_buf_le32(r->b, len);                                /* lnglen */
    }
    lfs_buf_put(r->b, s, len);
    lfs_buf_u8(r->b, 0);
    lfs_buf_align(r->b, 4);
    *head = (uint32_t)off;
    lfs_str_t key = { s, len };
    if (lfs_strmap_put(&r->addr, key, (int)off))
        r->err = LFS_ENOMEM;
}

static uint32_t str_addr(const region_t *r, lfs_str_t s)
{
    if (!s.data)
        return 0;
    int off = lfs_strmap_get(&r->addr, s);
    return off > 0 ? at_addr(r, (size_t)off) : 0;
}

static void put_tvalue(region_t *r, const lfs_const_t *k)
{
    uint64_t v = 0;
    uint32_t tag = 0;
    switch (k->type) {
    case LFS_KNIL:
        break;
    case LFS_KBOOL:
        v = k->b != 0;
        tag = 0x01;
        break;
    case LFS_KNUM:
        tag = 0x03;
        if (r->int64) {
            memcpy(&v, &k->n, sizeof v);
        } else {
            float f = (float)k->n;
            uint32_t u;
            memcpy(&u, &f, sizeof u);
            v = u;
        }
        break;
    case LFS_KINT:
        tag = 0x13;
        v = r->int64 ? (uint64_t)k->i : (uint32_t)(int32_t)k->i;
        break;
    case LFS_KSTR:
        tag = k->s.len <= LC53_MAXSHORTLEN ? 0x44 : 0x54;
        v = str_addr(r, k->s);
        break;
    }
    if (r->int64)
        lfs_buf_le64(r->b, v);
    else
        lfs_buf_le32(r->b, (uint32_t)v);
    lfs_buf_le32(r->b, tag);
}

/* Write f's records bottom-up (§5.3); returns the Proto's offset. */
static size_t put_proto(region_t *r, const lfs_proto_t *f, int depth)
{
    lfs_buf_t *b = r->b;
    size_t *kids = NULL;
    if (f->sizep) {
        kids = calloc((size_t)f->sizep, sizeof *kids);
        if (!kids) {
            r->err = LFS_ENOMEM;
            return 0;
        }
    }
    for (int i = 0; i < f->sizep && depth < LC53_MAXDEPTH; i++)
        kids[i] = put_proto(r, f->p[i], depth + 1);
    size_t p_off = b->len;
    for (int i = 0; i < f->sizep; i++)
        lfs_buf_le32(b, at_addr(r, kids[i]));
    free(kids);
    size_t code_off = b->len;
    for (int i = 0; i < f->sizecode; i++)
        lfs_buf_le32(b, f->code[i]);
    size_t k_off = b->len;
    for (int i = 0; i < f->sizek; i++)
        put_tvalue(r, &f->k[i]);
    size_t up_off = b->len;
    for (int i = 0; i < f->sizeupvalues; i++) {
        lfs_buf_le32(b, r->strip ? 0 : str_addr(r, f->upvalues[i].name));
        lfs_buf_u8(b, f->upvalues[i].instack);
        lfs_buf_u8(b, f->upvalues[i].idx);
        lfs_buf_zero(b, 2);
    }
    size_t line_off = b->len;
    lfs_buf_t blob;
    lfs_buf_init(&blob);
    if (f->lineblob)
        lfs_buf_put(&blob, f->lineblob, (size_t)f->sizelineblob);
    else
        lc53_lines_pack(f->lineinfo, f->sizelineinfo, &blob);
    if (blob.err)
        r->err = LFS_ENOMEM;
    lfs_buf_put(b, blob.data, blob.len);
    lfs_buf_align(b, 4);
    size_t loc_off = b->len;
    int nloc = r->strip ? 0 : f->sizelocvars;
    for (int i = 0; i < nloc; i++) {
        lfs_buf_le32(b, str_addr(r, f->locvars[i].varname));
        lfs_buf_le32(b, (uint32_t)f->locvars[i].startpc);
        lfs_buf_le32(b, (uint32_t)f->locvars[i].endpc);
    }
    size_t off = b->len;
    lfs_buf_le32(b, r->proto_head ? at_addr(r, r->proto_head) : r->base);
    lfs_buf_u8(b, 9);                                   /* tt */
    lfs_buf_u8(b, 0x22);                                /* LFS | white */
    lfs_buf_u8(b, f->numparams);
    lfs_buf_u8(b, f->is_vararg);
    lfs_buf_u8(b, f->maxstacksize);
    lfs_buf_zero(b, 3);
    lfs_buf_le32(b, (uint32_t)f->sizeupvalues);
    lfs_buf_le32(b, (uint32_t)f->sizek);
    lfs_buf_le32(b, (uint32_t)f->sizecode);
    lfs_buf_le32(b, (uint32_t)blob.len);
    lfs_buf_le32(b, (uint32_t)f->sizep);
    lfs_buf_le32(b, (uint32_t)nloc);
    lfs_buf_le32(b, (uint32_t)f->linedefined);
    lfs_buf_le32(b, (uint32_t)f->lastlinedefined);
    lfs_buf_le32(b, at_addr(r, k_off));
    lfs_buf_le32(b, at_addr(r, code_off));
    lfs_buf_le32(b, at_addr(r, p_off));
    lfs_buf_le32(b, blob.len ? at_addr(r, line_off) : 0);
    lfs_buf_le32(b, at_addr(r, loc_off));
    lfs_buf_le32(b, f->sizeupvalues ? at_addr(r, up_off) : 0);
    lfs_buf_le32(b, str_addr(r, f->source));
    lfs_buf_le32(b, 0);                                 /* gclist */
    lfs_buf_free(&blob);
    r->proto_head = (uint32_t)off;
    return off;
}

int lfs53_write_region(const lfs_proto_t *index, const lfs53_opts_t *o,
                       uint32_t base, lfs_buf_t *out, lfs_diag_t *d)
{
    lfs_model_t m;
    strtab_t t;
    region_t r;
    int n = index->sizep;
    if (index->sizek != n + 1 || index->k[n].type != LFS_KINT)
        return lfs_fail(d, -1, LFS_EUSAGE, "not an index function: %d"
                        " constants for %d modules", index->sizek, n);
    if (base % 4096 || base < LFS53_FLASH_MAPPED)
        return lfs_fail(d, -1, LFS_EUSAGE, "base 0x%08x is not a mapped"
                        " flash sector address", base);
    if (n > LFS53_MAXMODULES)
        return lfs_fail(d, -1, LFS_ELIMIT, "%d modules; the index of a flash"
                        " region holds at most %d", n, LFS53_MAXMODULES);
    lfs_model_init(&m);
    memset(&r, 0, sizeof r);
    if (build_strtab(&t, &m, index, o->strip)) {
        lfs_model_free(&m);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    uint32_t nshort = LFS53_NFIXED;
    for (int i = 0; i < t.n; i++)
        nshort += t.strs[i].len <= LC53_MAXSHORTLEN;
    lfs_buf_t reg;
    lfs_buf_init(&reg);
    r.b = &reg;
    r.base = base;
    r.int64 = o->int64;
    r.strip = o->strip;
    r.seed = o->seed;
    r.nbuckets = bucket_count(nshort);
    r.buckets = lfs_model_alloc(&m, sizeof *r.buckets * r.nbuckets);
    lfs_strmap_init(&r.addr, &m);
    if (!r.buckets) {
        lfs_buf_free(&reg);
        lfs_model_free(&m);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    lfs_buf_zero(&reg, sizeof(lfs53_header_t));
    for (int i = 0; i < t.n; i++)
        put_tstring(&r, t.strs[i].data, t.strs[i].len, 0);
    for (int k = 1; k <= LFS53_NFIXED_LDR; k++) {
        const char *f = k <= 69 ? lfs53_fixed[k - 1] : k == 70 ? "userdata"
                      : k == 71 ? "thread" : "proto";
        put_tstring(&r, f, (uint32_t)strlen(f), k <= 22 ? k : 0);
    }
    size_t hash_off = reg.len;
    for (uint32_t i = 0; i < r.nbuckets; i++)
        lfs_buf_le32(&reg, r.buckets[i]);
    size_t *mods = calloc((size_t)n + 1, sizeof *mods);
    if (!mods)
        r.err = LFS_ENOMEM;
    for (int i = 0; i < n && !r.err; i++)
        mods[i] = put_proto(&r, index->p[i], 1);
    size_t entry_off = reg.len;
    for (int i = 0; i < n && !r.err; i++) {
        lfs_buf_le32(&reg, str_addr(&r, index->k[i].s) + LFS53_TSTRING_SIZE);
        if (r.int64)
            lfs_buf_le64(&reg, at_addr(&r, mods[i]));
        else
            lfs_buf_le32(&reg, at_addr(&r, mods[i]));
        lfs_buf_le32(&reg, 0x02);                    /* light userdata */
    }
    free(mods);
    lfs_buf_zero(&reg, r.int64 ? 16 : 12);           /* terminator */
    size_t rot_off = reg.len;
    lfs_buf_le32(&reg, 1);                           /* next */
    lfs_buf_u8(&reg, 0x15);                          /* tt */
    lfs_buf_u8(&reg, 0);                             /* marked */
    lfs_buf_u8(&reg, 0xFF);                          /* flags */
    lfs_buf_u8(&reg, (uint8_t)n);                    /* lsizenode */
    lfs_buf_le32(&reg, 0);                           /* metatable */
    lfs_buf_le32(&reg, at_addr(&r, entry_off));      /* entry */
    size_t size = reg.len;
    if (!reg.err && !r.err) {
        uint8_t *h = reg.data;
        lfs_put_le32(h + 0x00, LFS53_FLASH_SIG);
        lfs_put_le32(h + 0x04, (uint32_t)size);
        lfs_put_le32(h + 0x08, o->seed);
        lfs_put_le32(h + 0x0C, (uint32_t)index->k[n].i);
        lfs_put_le32(h + 0x10, nshort);
        lfs_put_le32(h + 0x14, r.nbuckets);
        lfs_put_le32(h + 0x18, (uint32_t)(hash_off / 4));
        lfs_put_le32(h + 0x1C, (uint32_t)(rot_off / 4));
        lfs_put_le32(h + 0x20, r.proto_head / 4);
        lfs_put_le32(h + 0x24, r.short_head / 4);
        lfs_put_le32(h + 0x28, r.long_head / 4);
    }
    if (!r.err && !reg.err)
        lfs_buf_put(out, reg.data, reg.len);
    lfs_buf_free(&reg);
    lfs_model_free(&m);
    if (r.err || reg.err || out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing the flash"
                        " region");
    return 0;
}
