/*
** lfs53_read.c: reads and validates NodeMCU Lua 5.3 LFS image streams
** (format 11). The firmware's loader checks only the header, the two
** section markers and the end of the file (docs/lfs53.md §5.8); everything it
** trusts blindly is checked here: the counts that size its RAM (maxlen,
** nShort, nLong), every string reference and its type nibble, the index
** count, the module names. String references resolve as the loader
** resolves them (its 72 fixed strings, §4.3).
** Spec: docs/lfs53.md §4 (stream), §5.8 (loader errors), §7.3 (index rules).
** Twin: lfs53_write.c. May call: lc53, lfs_model, lfs_buf, libc.
*/
#include "lfs/lfs53.h"

#include <limits.h>
#include <string.h>

#include "lfs/lc53_func.h"

typedef struct rd {
    lfs_cur_t c;
    lfs_model_t *m;
    lfs_str_t *strs;        /* 1..nstrings dumped, then 72 fixed */
    uint32_t nstrings;
    lfs53_info_t *info;
    int intended;           /* fixed strings as the dumper numbers them */
} rd_t;

static int nomem(lfs_cur_t *c)
{
    if (!c->err)
        c->err = lfs_fail(c->d, (long)c->pos, LFS_ENOMEM,
                          "out of memory reading the image");
    return c->err;
}

/* The loader's fixed strings, in its order: the dumper's 69 up to
** "table", then "userdata" again, "thread", "proto". */
static const char *loader_fixed(int k)
{
    if (k <= 69)
        return lfs53_fixed[k - 1];
    return k == 70 ? "userdata" : k == 71 ? "thread" : "proto";
}

/* A string field of the proto section: a reference (§3.3, §4.3). */
static void ref_string(lc53_fn_reader_t *r, lfs_str_t *s, const char *what)
{
    rd_t *rd = r->ud;
    lfs_cur_t *c = r->c;
    size_t at = c->pos;
    int type;
    s->data = NULL;
    s->len = 0;
    int64_t v = lc53_read_ttint(c, &type, what);
    if (c->err)
        return;
    if (type != LC53_TT_SSTRING && type != LC53_TT_LSTRING) {
        c->pos = at;
        lfs_cur_bad(c, "%s has type byte 0x%02x, not a string reference",
                    what, c->p[at]);
        return;
    }
    if (v == 0) {
        if (type != LC53_TT_SSTRING) {
            c->pos = at;
            lfs_cur_bad(c, "%s: a NULL string is written 0x50", what);
        }
        return;
    }
    if (v < 0 || v > (int64_t)rd->nstrings + LFS53_NFIXED_LDR) {
        c->pos = at;
        lfs_cur_bad(c, "%s refers to string %lld; the image has %u and the"
                    " loader adds %d fixed ones (the stock loader would use"
                    " a wild pointer)", what, (long long)v, rd->nstrings,
                    LFS53_NFIXED_LDR);
        return;
    }
    *s = rd->strs[v];
    if ((s->len <= LC53_MAXSHORTLEN) != (type == LC53_TT_SSTRING)) {
        c->pos = at;
        lfs_cur_bad(c, "%s refers to a %s string (%u bytes) with a %s-string"
                    " type nibble; the loader would tag it wrongly", what,
                    s->len <= LC53_MAXSHORTLEN ? "short" : "long", s->len,
                    type == LC53_TT_SSTRING ? "short" : "long");
        return;
    }
    if (v - rd->nstrings == 66)
        rd->info->shadowed_refs++;
}

static int marker(rd_t *rd, const char *mark, const char *why)
{
    size_t at = rd->c.pos;
    const uint8_t *p = lfs_cur_take(&rd->c, 3, why);
    if (p && memcmp(p, mark, 3) != 0) {
        rd->c.pos = at;
        return lfs_cur_bad(&rd->c, "%s (the loader says so too)", why);
    }
    return rd->c.err;
}

static int strings(rd_t *rd)
{
    lfs_cur_t *c = &rd->c;
    lfs53_info_t *in = rd->info;
    size_t at = c->pos;
    in->maxlen = (uint32_t)lc53_read_mbint(c, UINT32_MAX, "maxlen");
    in->nshort = (uint32_t)lc53_read_mbint(c, UINT32_MAX, "nShort");
    in->nlong = (uint32_t)lc53_read_mbint(c, UINT32_MAX, "nLong");
    in->nstrings = (uint32_t)lc53_read_mbint(c, c->n - c->pos, "nStrings");
    if (c->err)
        return c->err;
    rd->nstrings = in->nstrings;
    rd->strs = lfs_model_alloc(rd->m, sizeof *rd->strs *
                               ((size_t)in->nstrings + 1 + LFS53_NFIXED_LDR));
    if (!rd->strs)
        return nomem(c);
    uint32_t nshort = 0, nlong = 0, maxlen = LFS53_MINMAXLEN;
    for (uint32_t i = 1; i <= in->nstrings; i++) {
        lfs_str_t *s = &rd->strs[i];
        size_t sat = c->pos;
        int type;
        int64_t v = lc53_read_ttint(c, &type, "string");
        if (c->err)
            return c->err;
        if ((type != LC53_TT_SSTRING && type != LC53_TT_LSTRING) || v == 0) {
            c->pos = sat;
            return lfs_cur_bad(c, "string %u of the string section is %s",
                               i, v == 0 ? "NULL" : "not a string");
        }
        if ((uint64_t)v - 1 > c->n - c->pos) {
            c->pos = sat;
            return lfs_cur_bad(c, "truncated: string %u of %lld bytes runs"
                               " past the end of the image", i,
                               (long long)v - 1);
        }
        if ((v - 1 <= LC53_MAXSHORTLEN) != (type == LC53_TT_SSTRING)) {
            c->pos = sat;
            return lfs_cur_bad(c, "string %u of %lld bytes is marked %s", i,
                               (long long)v - 1, type == LC53_TT_SSTRING
                               ? "short" : "long");
        }
        const uint8_t *p = lfs_cur_take(c, (size_t)(v - 1), "string");
        if (!p)
            return c->err;
        if (lfs_model_str(rd->m, p, (uint32_t)(v - 1), s))
            return nomem(c);
        if (s->len <= LC53_MAXSHORTLEN)
            nshort++;
        else
            nlong++;
        if (s->len > maxlen)
            maxlen = s->len;
    }
    for (int k = 1; k <= LFS53_NFIXED_LDR; k++) {
        const char *f = !rd->intended ? loader_fixed(k)
                      : k <= LFS53_NFIXED ? lfs53_fixed[k - 1] : "proto";
        rd->strs[in->nstrings + (uint32_t)k] =
            (lfs_str_t){ f, (uint32_t)strlen(f) };
    }
    if (in->maxlen < maxlen) {
        c->pos = at;
        return lfs_cur_bad(c, "maxlen %u is less than the longest string"
                           " (%u bytes, fixed strings included); the"
                           " loader would overrun its buffer", in->maxlen,
                           maxlen);
    }
    if (in->nshort != nshort + LFS53_NFIXED || in->nlong != nlong) {
        c->pos = at;
        return lfs_cur_bad(c, "nShort/nLong say %u/%u, the section has"
                           " %u/%u (nShort counts the %d fixed strings too);"
                           " the loader sizes its tables from them",
                           in->nshort, in->nlong, nshort + LFS53_NFIXED,
                           nlong, LFS53_NFIXED);
    }
    return 0;
}

static int read_image(const uint8_t *p, size_t n, lfs_model_t *m,
                      lfs_diag_t *d, lfs53_info_t *info, lfs_proto_t **index,
                      int intended);

int lfs53_read(const uint8_t *p, size_t n, lfs_model_t *m, lfs_diag_t *d,
               lfs53_info_t *info, lfs_proto_t **index)
{
    return read_image(p, n, m, d, info, index, 0);
}

int lfs53_read_intended(const uint8_t *p, size_t n, lfs_model_t *m,
                        lfs_diag_t *d, lfs53_info_t *info,
                        lfs_proto_t **index)
{
    return read_image(p, n, m, d, info, index, 1);
}

static int read_image(const uint8_t *p, size_t n, lfs_model_t *m,
                      lfs_diag_t *d, lfs53_info_t *info, lfs_proto_t **index,
                      int intended)
{
    rd_t rd;
    lc53_info_t h;
    lc53_fn_reader_t r;
    lfs_cur_t *c = &rd.c;
    int type;
    memset(&rd, 0, sizeof rd);
    memset(info, 0, sizeof *info);
    lfs_cur_init(c, p, n, d);
    rd.m = m;
    rd.info = info;
    rd.intended = intended;
    *index = NULL;
    if (lc53_read_header(c, LC53_FORMAT_LFS, &h))
        return c->err;
    info->int64 = h.sizeof_integer == 8;
    size_t at = c->pos;
    int64_t seed = lc53_read_ttint(c, &type, "seed");
    if (!c->err && ((type != LC53_TT_PINT && type != LC53_TT_NINT) ||
                    seed < INT32_MIN || seed > UINT32_MAX)) {
        c->pos = at;
        return lfs_cur_bad(c, "the seed is not a 32-bit integer");
    }
    info->seed = (uint32_t)seed;
    if (marker(&rd, "\x19ss", "no string vector") || strings(&rd))
        return c->err;
    if (marker(&rd, "\x19pr", "no Proto vector"))
        return c->err;
    int nprotos = (int)lc53_read_mbint(c, (c->n - c->pos) / 8, "nProtos");
    if (c->err)
        return c->err;
    lfs_proto_t *f = lfs_model_proto(m);
    lfs_str_t src = { LFS53_INDEX_SOURCE,
                      (uint32_t)strlen(LFS53_INDEX_SOURCE) };
    if (!f || lfs_model_str(m, src.data, src.len, &f->source))
        return nomem(c);
    f->is_vararg = 1;
    f->maxstacksize = 2;
    f->sizecode = 1;
    f->code = lfs_model_alloc(m, 4);
    f->sizep = nprotos;
    f->p = lfs_model_alloc(m, sizeof *f->p * (size_t)(nprotos + 1));
    f->sizek = nprotos + 1;
    f->k = lfs_model_alloc(m, sizeof *f->k * (size_t)(nprotos + 1));
    if (!f->code || !f->p || !f->k)
        return nomem(c);
    f->code[0] = 38u | 1u << 23;                /* RETURN 0 1 */
    memset(&r, 0, sizeof r);
    r.c = c;
    r.m = m;
    r.int64 = info->int64;
    r.get_string = ref_string;
    r.ud = &rd;
    for (int i = 0; i < nprotos && !c->err; i++) {
        at = c->pos;
        if (c->pos < c->n && c->p[c->pos] == LC53_TT_SSTRING)
            return lfs_cur_bad(c, "module %d has a NULL source; the loader"
                               " would store it without the LFS mark and"
                               " the GC would write to flash", i + 1);
        f->p[i] = lc53_read_function(&r, f->source, 1);
    }
    if (c->err)
        return c->err;
    at = c->pos;
    uint64_t nindex = lc53_read_mbint(c, UINT32_MAX, "nIndex");
    if (!c->err && nindex != (uint64_t)nprotos + 1) {
        c->pos = at;
        return lfs_cur_bad(c, "nIndex is %llu for %d modules; it must be"
                           " nProtos + 1 (the names, then the timestamp)",
                           (unsigned long long)nindex, nprotos);
    }
    for (int i = 0; i < nprotos && !c->err; i++) {
        at = c->pos;
        f->k[i].type = LFS_KSTR;
        ref_string(&r, &f->k[i].s, "module name");
        if (!c->err && !f->k[i].s.data) {
            c->pos = at;
            return lfs_cur_bad(c, "module %d has a NULL name", i + 1);
        }
    }
    at = c->pos;
    f->k[nprotos].type = LFS_KINT;
    f->k[nprotos].i = lc53_read_ttint(c, &type, "timestamp");
    if (!c->err && ((type != LC53_TT_PINT && type != LC53_TT_NINT) ||
                    !lc53_int_fits(f->k[nprotos].i, info->int64))) {
        c->pos = at;
        return lfs_cur_bad(c, "the timestamp is not an integer of the"
                           " image's lua_Integer");
    }
    if (c->err)
        return c->err;
    if (c->pos != n)
        return lfs_cur_bad(c, "%zu bytes after the timestamp (the loader"
                           " ignores them; luac.cross never writes them)",
                           n - c->pos);
    info->timestamp = f->k[nprotos].i;
    info->nmodules = nprotos;
    info->nprotos = r.nfunctions;
    info->hasnames = (r.names_seen & 2) != 0 || r.names_seen == 0;
    if (r.names_seen == 3)
        return lfs_fail(d, -1, LFS_EFORMAT, "some functions have hasnames 0"
                        " and some 1; luac.cross writes one or the other");
    *index = f;
    return 0;
}

int lfs53_check(const lfs_proto_t *index, const lfs53_info_t *info,
                uint32_t lfs_size, lfs_diag_t *d)
{
    int n = index->sizep, plain = 0;
    if (n > LFS53_MAXMODULES)
        return lfs_fail(d, -1, LFS_ELIMIT, "%d modules; the firmware's"
                        " index counts them in one byte, so only %d would"
                        " be visible", n, n & 0xFF);
    for (int i = 0; i < n; i++) {
        lfs_str_t s = index->k[i].s;
        if (s.len > LFS53_MAXNAME)
            return lfs_fail(d, -1, LFS_ELIMIT, "module name '%s' has %u"
                            " characters; the firmware never finds names"
                            " longer than %d", s.data, s.len, LFS53_MAXNAME);
        int under = s.len >= 2 && memcmp(s.data, "__", 2) == 0;
        if (!under)
            plain = 1;
        else if (plain)
            return lfs_fail(d, -1, LFS_ELIMIT, "module '%s' comes after a"
                            " name without \"__\"; the firmware looks \"__\""
                            " names up only at the front of its index, so"
                            " it would never be found", s.data);
        for (int k = 0; k < i; k++)
            if (lfs_str_eq(index->k[k].s, s))
                return lfs_fail(d, -1, LFS_ELIMIT, "two modules are named"
                                " '%s'; the firmware finds only the first",
                                s.data);
    }
    size_t size = lfs53_region_size(index, info->int64, !info->hasnames);
    if (size > lfs_size)
        return lfs_fail(d, -1, LFS_ELIMIT, "the image needs %zu bytes of"
                        " flash but the LFS partition has %u; the stock"
                        " loader does not check and would overwrite what"
                        " follows it", size, lfs_size);
    return 0;
}
