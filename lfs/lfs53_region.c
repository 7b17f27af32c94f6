/*
** lfs53_region.c: reads and validates NodeMCU Lua 5.3 flash regions
** (absolute images, docs/lfs53.md §5-§6), as the firmware maps them, and
** rebuilds the index function from one. Every pointer is checked to lie
** inside the region, aligned, before it is followed; lists and chains are
** bounded, so a hostile region cannot loop or read out of bounds.
** Spec: docs/lfs53.md §5.3-§5.7, §6. Twin: lfs53_write.c lfs53_write_region.
** May call: lc53, lfs_model, lfs_buf, libc.
*/
#include "lfs/lfs53.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct rr {
    const uint8_t *p;
    size_t size;            /* flash_size */
    uint32_t base, seed;
    int int64;
    lfs_model_t *m;
    lfs_diag_t *d;
    int err;
    int nprotos;
} rr_t;

static int bad(rr_t *r, size_t off, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int bad(rr_t *r, size_t off, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (r->err)
        return r->err;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return r->err = lfs_fail(r->d, (long)off, code, "%s", msg);
}

static uint32_t w32(const rr_t *r, size_t off) { return lfs_le32(r->p + off); }

/* The offset of a pointer to `need` bytes inside the region; 0 on error
** (offset 0 is the header, never a target). */
static size_t target(rr_t *r, size_t at, uint32_t addr, size_t need,
                     const char *what)
{
    uint64_t off = (uint64_t)addr - r->base;
    if (addr < r->base || off < sizeof(lfs53_header_t) || off % 4 ||
        off + need > r->size) {
        bad(r, at, LFS_EFORMAT, "%s pointer 0x%08x is outside the region"
            " 0x%08x..0x%08x or unaligned", what, addr,
            r->base + (uint32_t)sizeof(lfs53_header_t),
            r->base + (uint32_t)r->size);
        return 0;
    }
    return (size_t)off;
}

/* A TString record at addr (§6.2): checks and returns its characters. */
static int tstring(rr_t *r, size_t at, uint32_t addr, lfs_str_t *out,
                   int *is_short)
{
    size_t off = target(r, at, addr, LFS53_TSTRING_SIZE, "string");
    if (!off)
        return r->err;
    const uint8_t *h = r->p + off;
    int tt = h[4], shrt = tt == 0x04;
    if ((tt != 0x04 && tt != 0x14) || h[5] != 0x60)
        return bad(r, off + 4, LFS_EFORMAT, "string at 0x%08x has tt 0x%02x"
                   " marked 0x%02x, not a flash TString (0x04/0x14, 0x60)",
                   addr, tt, h[5]);
    uint32_t len = shrt ? h[7] : w32(r, off + 12);
    if ((shrt && len > LC53_MAXSHORTLEN) || (!shrt && len <= LC53_MAXSHORTLEN))
        return bad(r, off + 7, LFS_EFORMAT, "%s string at 0x%08x has %u"
                   " bytes", shrt ? "short" : "long", addr, len);
    if (!shrt && (h[6] != 1 || h[7] != 0))
        return bad(r, off + 6, LFS_EFORMAT, "long string at 0x%08x lacks"
                   " extra = 1 (its hash would be written into flash)",
                   addr);
    if (len > r->size - off - LFS53_TSTRING_SIZE - 1 ||
        h[LFS53_TSTRING_SIZE + len] != 0)
        return bad(r, off, LFS_EFORMAT, "string at 0x%08x of %u bytes runs"
                   " past the region or lacks its NUL", addr, len);
    const char *s = (const char *)h + LFS53_TSTRING_SIZE;
    if (w32(r, off + 8) != lfs53_hash(s, len, r->seed))
        return bad(r, off + 8, LFS_EFORMAT, "string at 0x%08x has hash"
                   " 0x%08x; with the seed it is 0x%08x", addr,
                   w32(r, off + 8), lfs53_hash(s, len, r->seed));
    out->data = s;
    out->len = len;
    if (is_short)
        *is_short = shrt;
    return 0;
}

static void *vec(rr_t *r, size_t elem, uint32_t n)
{
    void *v = lfs_model_alloc(r->m, elem * (n ? n : 1));
    if (!v)
        bad(r, 0, LFS_ENOMEM, "out of memory reading the region");
    return v;
}

static int tvalue(rr_t *r, size_t off, lfs_const_t *k)
{
    size_t vs = r->int64 ? 8 : 4;
    uint32_t tag = w32(r, off + vs), lo = w32(r, off);
    uint64_t v = r->int64 ? lo | (uint64_t)w32(r, off + 4) << 32 : lo;
    switch (tag) {
    case 0x00: k->type = LFS_KNIL; return 0;
    case 0x01: k->type = LFS_KBOOL; k->b = lo != 0; return 0;
    case 0x03:
        k->type = LFS_KNUM;
        if (r->int64) {
            memcpy(&k->n, &v, sizeof k->n);
        } else {
            float f;
            memcpy(&f, &lo, sizeof f);
            k->n = f;
        }
        return 0;
    case 0x13:
        k->type = LFS_KINT;
        k->i = r->int64 ? (int64_t)v : (int32_t)lo;
        return 0;
    case 0x44: case 0x54: {
        int shrt;
        k->type = LFS_KSTR;
        if (tstring(r, off, lo, &k->s, &shrt))
            return r->err;
        if (shrt != (tag == 0x44))
            return bad(r, off + vs, LFS_EFORMAT, "constant tagged 0x%02x"
                       " points to a %s string", tag, shrt ? "short"
                                                             : "long");
        return 0;
    }
    default:
        return bad(r, off + vs, LFS_EFORMAT, "constant has tag 0x%02x; flash"
                   " constants are nil, boolean, number or string", tag);
    }
}

static lfs_proto_t *proto(rr_t *r, size_t at, uint32_t addr, int depth)
{
    size_t off = target(r, at, addr, LFS53_PROTO_SIZE, "Proto");
    if (!off)
        return NULL;
    if (depth > LC53_MAXDEPTH || ++r->nprotos > (int)(r->size / 76)) {
        bad(r, off, LFS_EFORMAT, "Protos nested too deep or shared");
        return NULL;
    }
    const uint8_t *h = r->p + off;
    if (h[4] != 9 || !(h[5] & 0x20)) {
        bad(r, off + 4, LFS_EFORMAT, "Proto at 0x%08x has tt %d marked"
            " 0x%02x, not a flash Proto (9, LFS bit 0x20)", addr, h[4], h[5]);
        return NULL;
    }
    lfs_proto_t *f = lfs_model_proto(r->m);
    if (!f) {
        bad(r, off, LFS_ENOMEM, "out of memory");
        return NULL;
    }
    f->numparams = h[6];
    f->is_vararg = h[7];
    f->maxstacksize = h[8];
    uint32_t nup = w32(r, off + 12), nk = w32(r, off + 16);
    uint32_t ncode = w32(r, off + 20), nline = w32(r, off + 24);
    uint32_t np = w32(r, off + 28), nloc = w32(r, off + 32);
    f->linedefined = (int)w32(r, off + 36);
    f->lastlinedefined = (int)w32(r, off + 40);
    size_t tv = r->int64 ? 12 : 8, ko, co, po, lo = 0, lvo, uo = 0;
    if (nup > 255 || nk > r->size / tv || ncode == 0 || ncode > r->size / 4 ||
        nline > r->size || np > r->size / 4 || nloc > r->size / 12) {
        bad(r, off + 12, LFS_EFORMAT, "Proto at 0x%08x has impossible"
            " sizes", addr);
        return NULL;
    }
    ko = target(r, off + 44, w32(r, off + 44), tv * nk, "constants");
    co = target(r, off + 48, w32(r, off + 48), 4 * (size_t)ncode, "code");
    po = target(r, off + 52, w32(r, off + 52), 4 * (size_t)np, "protos");
    if (nline)
        lo = target(r, off + 56, w32(r, off + 56), nline, "lineinfo");
    else if (w32(r, off + 56))
        bad(r, off + 56, LFS_EFORMAT, "empty lineinfo is not NULL");
    lvo = target(r, off + 60, w32(r, off + 60), 12 * (size_t)nloc,
                 "locvars");
    if (nup)
        uo = target(r, off + 64, w32(r, off + 64), 8 * (size_t)nup,
                    "upvalues");
    else if (w32(r, off + 64))
        bad(r, off + 64, LFS_EFORMAT, "empty upvalues is not NULL");
    if (r->err || tstring(r, off + 68, w32(r, off + 68), &f->source, NULL))
        return NULL;
    f->sizecode = (int)ncode;
    f->code = vec(r, 4, ncode);
    f->sizek = (int)nk;
    f->k = vec(r, sizeof *f->k, nk);
    f->sizep = (int)np;
    f->p = vec(r, sizeof *f->p, np);
    f->sizeupvalues = (int)nup;
    f->nups = (uint8_t)nup;
    f->upvalues = vec(r, sizeof *f->upvalues, nup);
    f->sizelocvars = (int)nloc;
    f->locvars = vec(r, sizeof *f->locvars, nloc);
    if (r->err)
        return NULL;
    for (uint32_t i = 0; i < ncode; i++)
        f->code[i] = w32(r, co + 4 * i);
    for (uint32_t i = 0; i < nk && !r->err; i++)
        tvalue(r, ko + tv * i, &f->k[i]);
    for (uint32_t i = 0; i < nup && !r->err; i++) {
        uint32_t name = w32(r, uo + 8 * i);
        if (name)
            tstring(r, uo + 8 * i, name, &f->upvalues[i].name, NULL);
        f->upvalues[i].instack = r->p[uo + 8 * i + 4];
        f->upvalues[i].idx = r->p[uo + 8 * i + 5];
    }
    for (uint32_t i = 0; i < nloc && !r->err; i++) {
        size_t e = lvo + 12 * i;
        if (w32(r, e))
            tstring(r, e, w32(r, e), &f->locvars[i].varname, NULL);
        f->locvars[i].startpc = (int)w32(r, e + 4);
        f->locvars[i].endpc = (int)w32(r, e + 8);
    }
    if (nline && !r->err) {
        uint8_t *blob = vec(r, 1, nline);
        f->lineinfo = vec(r, sizeof(int), ncode);
        if (!blob || !f->lineinfo)
            return NULL;
        memcpy(blob, r->p + lo, nline);
        if (lc53_lines_unpack(blob, nline, f->lineinfo, (int)ncode)
            != (int)ncode) {
            bad(r, lo, LFS_EFORMAT, "line info at 0x%08x does not describe"
                " the Proto's %u instructions", w32(r, off + 56), ncode);
            return NULL;
        }
        f->sizelineinfo = (int)ncode;
        f->lineblob = blob;
        f->sizelineblob = (int)nline;
    }
    for (uint32_t i = 0; i < np && !r->err; i++)
        f->p[i] = proto(r, po + 4 * i, w32(r, po + 4 * i), depth + 1);
    return r->err ? NULL : f;
}

/* Walk a list linked through `next` (word 0) that ends at base. */
static int walk_list(rr_t *r, size_t at, uint32_t head_words, int strings,
                     uint32_t *count)
{
    uint32_t addr = r->base + 4 * head_words, limit = (uint32_t)r->size / 16;
    *count = 0;
    if (head_words == 0)
        return 0;
    while (addr != r->base && !r->err) {
        size_t off = target(r, at, addr, 8, "list");
        if (!off)
            return r->err;
        if (strings) {
            lfs_str_t s;
            if (tstring(r, at, addr, &s, NULL))
                return r->err;
        }
        if (++*count > limit)
            return bad(r, off, LFS_EFORMAT, "a list in the region loops");
        at = off;
        addr = w32(r, off);
    }
    return r->err;
}

int lfs53_read_region(const uint8_t *p, size_t n, lfs_model_t *m,
                      lfs_diag_t *d, lfs53_info_t *info, uint32_t *base,
                      lfs_proto_t **index)
{
    rr_t r;
    memset(&r, 0, sizeof r);
    memset(info, 0, sizeof *info);
    r.p = p;
    r.m = m;
    r.d = d;
    *index = NULL;
    if (n < sizeof(lfs53_header_t) + LFS53_TSTRING_SIZE + 4)
        return bad(&r, 0, LFS_EFORMAT, "%zu bytes is too short for a flash"
                   " region", n);
    if (lfs_le32(p) != LFS53_FLASH_SIG)
        return bad(&r, 0, LFS_EFORMAT, "signature 0x%08x is not a Lua 5.3"
                   " flash region (0x%08x)", lfs_le32(p), LFS53_FLASH_SIG);
    r.size = lfs_le32(p + 4);
    if (r.size > n || r.size % 4 || r.size < 0x40)
        return bad(&r, 4, LFS_EFORMAT, "flash_size %zu does not fit the %zu"
                   " bytes of the file", r.size, n);
    r.seed = lfs_le32(p + 8);
    r.base = lfs_le32(p + 0x30);    /* first string's list link */
    if (r.base % 4096 || r.base < LFS53_FLASH_MAPPED)
        return bad(&r, 0x30, LFS_EFORMAT, "the first string's link 0x%08x"
                   " is not a mapped partition base", r.base);
    uint32_t nroot = lfs_le32(p + 0x14), ohash = lfs_le32(p + 0x18);
    uint32_t orot = lfs_le32(p + 0x1C);
    if (nroot == 0 || (nroot & (nroot - 1)) || (uint64_t)ohash * 4 +
        (uint64_t)nroot * 4 > r.size)
        return bad(&r, 0x14, LFS_EFORMAT, "ROstrt of %u buckets at word"
                   " 0x%x does not fit", nroot, ohash);
    if ((uint64_t)orot * 4 + LFS53_ROTABLE_SIZE != r.size)
        return bad(&r, 0x1C, LFS_EFORMAT, "the index ROTable at word 0x%x"
                   " does not end the region", orot);
    size_t ro = 4 * (size_t)orot;
    if (w32(&r, ro) != 1 || p[ro + 4] != 0x15 || p[ro + 6] != 0xFF)
        return bad(&r, ro, LFS_EFORMAT, "the index ROTable header is not"
                   " next 1, tt 0x15, flags 0xFF");
    int nmod = p[ro + 7];
    uint32_t entry = w32(&r, ro + 12);
    size_t eo = target(&r, ro + 12, entry, 0, "ROTable entry");
    if (!eo)
        return r.err;
    size_t esz = (ro - eo) / (size_t)(nmod + 1);
    if ((esz != 12 && esz != 16) || eo + esz * (size_t)(nmod + 1) != ro)
        return bad(&r, ro + 12, LFS_EFORMAT, "the index has %d entries in"
                   " %zu bytes; entries are 12 or 16 bytes", nmod, ro - eo);
    r.int64 = esz == 16;
    /* The ROstrt: each chain holds short strings of its bucket. */
    uint32_t chained = 0;
    for (uint32_t b = 0; b < nroot && !r.err; b++) {
        uint32_t addr = w32(&r, 4 * (size_t)ohash + 4 * b);
        size_t at = 4 * (size_t)ohash + 4 * b;
        while (addr && !r.err) {
            lfs_str_t s;
            int shrt;
            size_t off = target(&r, at, addr, LFS53_TSTRING_SIZE, "chain");
            if (!off || tstring(&r, at, addr, &s, &shrt))
                return r.err;
            if (!shrt || (lfs53_hash(s.data, s.len, r.seed) & (nroot - 1))
                != b)
                return bad(&r, at, LFS_EFORMAT, "string at 0x%08x is in"
                           " bucket %u of the ROstrt but does not belong"
                           " there", addr, b);
            if (++chained > (uint32_t)r.size / 20)
                return bad(&r, at, LFS_EFORMAT, "an ROstrt chain loops");
            at = off + 12;
            addr = w32(&r, off + 12);
        }
    }
    uint32_t nshort, nlong, nlist;
    if (walk_list(&r, 0x24, lfs_le32(p + 0x24), 1, &nshort) ||
        walk_list(&r, 0x28, lfs_le32(p + 0x28), 1, &nlong) ||
        walk_list(&r, 0x20, lfs_le32(p + 0x20), 0, &nlist))
        return r.err;
    if (nshort != chained)
        return bad(&r, 0x24, LFS_EFORMAT, "%u short strings are listed but"
                   " %u are in the ROstrt", nshort, chained);
    if (lfs_le32(p + 0x10) + 1 != nshort)
        return bad(&r, 0x10, LFS_EFORMAT, "nROuse is %u for %u short"
                   " strings (it counts the duplicate \"userdata\" once)",
                   lfs_le32(p + 0x10), nshort);
    /* The index: names and Protos. */
    lfs_proto_t *f = lfs_model_proto(m);
    lfs_str_t src = { LFS53_INDEX_SOURCE,
                      (uint32_t)strlen(LFS53_INDEX_SOURCE) };
    if (!f || lfs_model_str(m, src.data, src.len, &f->source))
        return bad(&r, 0, LFS_ENOMEM, "out of memory");
    f->is_vararg = 1;
    f->maxstacksize = 2;
    f->sizecode = 1;
    f->code = vec(&r, 4, 1);
    f->sizep = nmod;
    f->p = vec(&r, sizeof *f->p, (uint32_t)nmod);
    f->sizek = nmod + 1;
    f->k = vec(&r, sizeof *f->k, (uint32_t)nmod + 1);
    if (r.err)
        return r.err;
    f->code[0] = 38u | 1u << 23;                /* RETURN 0 1 */
    for (int i = 0; i < nmod && !r.err; i++) {
        size_t e = eo + esz * (size_t)i;
        uint32_t key = w32(&r, e), tag = w32(&r, e + esz - 4);
        f->k[i].type = LFS_KSTR;
        if (tag != 0x02)
            return bad(&r, e + esz - 4, LFS_EFORMAT, "index entry %d has"
                       " tag 0x%02x, not a light userdata (2)", i + 1, tag);
        if (tstring(&r, e, key - LFS53_TSTRING_SIZE, &f->k[i].s, NULL))
            return r.err;
        f->p[i] = proto(&r, e + 4, w32(&r, e + 4), 1);
    }
    if (r.err)
        return r.err;
    for (size_t k = 0; k < esz; k++)
        if (p[eo + esz * (size_t)nmod + k] != 0)
            return bad(&r, eo + esz * (size_t)nmod, LFS_EFORMAT, "the index"
                       " lacks its zero terminator entry");
    if ((uint32_t)r.nprotos != nlist)
        return bad(&r, 0x20, LFS_EFORMAT, "%u Protos are listed but %d are"
                   " reachable from the index", nlist, r.nprotos);
    f->k[nmod].type = LFS_KINT;
    f->k[nmod].i = r.int64 ? (int64_t)lfs_le32(p + 12)
                           : (int32_t)lfs_le32(p + 12);
    info->int64 = r.int64;
    info->seed = r.seed;
    info->timestamp = f->k[nmod].i;
    info->nshort = lfs_le32(p + 0x10);
    info->nlong = nlong;
    info->nmodules = nmod;
    info->nprotos = r.nprotos;
    info->hasnames = 1;
    *base = r.base;
    *index = f;
    return 0;
}
