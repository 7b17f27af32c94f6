/*
** lfs51_read.c: reads and validates NodeMCU Lua 5.1 LFS images, either a
** relocatable payload (image + relocation bitmap) or an absolute image, and
** rebuilds the model (docs/lfs51.md §3). Every rule a correct writer follows
** and the VM relies on is checked, with the byte offset of the first breach:
** header fields, ROstrt chains, hashes, buckets and marks, Proto headers,
** TValue tags, that string pointers hit strings, that the objects tile the
** image with no gap or overlap, and that the relocation bitmap marks
** exactly the pointer words. Nothing is trusted before it is bounded.
** Twin: lfs51_write.c. May call: lfs_model, lfs_buf, lfs51_lines, libc.
*/
#include "lfs/lfs51.h"

#include <stdlib.h>
#include <string.h>

#include "lfs/lfs51_lines.h"

typedef struct reader {
    const uint8_t *p;
    uint32_t nwords;        /* image words (flash_size / 4) */
    int absolute, integral;
    uint32_t base;
    uint8_t *owned;         /* per word: claimed by an object */
    uint8_t *isptr;         /* per word: holds a relocated pointer */
    int32_t *strat;         /* per word: string index starting here, or -1 */
    lfs_str_t *strs;
    uint32_t nstrs;
    lfs_model_t *m;
    lfs_diag_t *d;
    int nprotos;
    int err;
} reader_t;

static int bad(reader_t *r, uint32_t word, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
#include <stdio.h>

static int bad(reader_t *r, uint32_t word, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!r->err)
        r->err = lfs_fail(r->d, 4 * (long)word, code, "%s", msg);
    return r->err;
}

static uint32_t word_at(const reader_t *r, uint32_t w)
{
    return lfs_le32(r->p + 4 * (size_t)w);
}

static int claim(reader_t *r, uint32_t w, uint32_t n, const char *what)
{
    if (r->err)
        return r->err;
    if (w > r->nwords || n > r->nwords - w)
        return bad(r, w, LFS_EFORMAT, "%s (%u words) runs past the image end"
                   " (%u words)", what, n, r->nwords);
    for (uint32_t i = w; i < w + n; i++)
        if (r->owned[i])
            return bad(r, i, LFS_EFORMAT, "%s overlaps another object; the"
                       " image is corrupt", what);
    memset(r->owned + w, 1, n);
    return 0;
}

/* Decode the pointer stored in word w: 0 for NULL, else a word offset. */
static uint32_t ref(reader_t *r, uint32_t w, const char *what)
{
    uint32_t v = word_at(r, w);
    if (r->err || v == 0)
        return 0;
    r->isptr[w] = 1;
    if (r->absolute) {
        if (v < r->base || (v - r->base) % 4) {
            bad(r, w, LFS_EFORMAT, "%s 0x%08x is not a word address inside"
                " the image mapped at 0x%08x", what, v, r->base);
            return 0;
        }
        v = (v - r->base) / 4;
    }
    if (v == 0 || v >= r->nwords) {
        bad(r, w, LFS_EFORMAT, "%s points to word %u, outside the image (%u"
            " words)", what, v, r->nwords);
        return 0;
    }
    return v;
}

static lfs_str_t str_ref(reader_t *r, uint32_t w, const char *what)
{
    lfs_str_t none = { NULL, 0 };
    uint32_t v = ref(r, w, what);
    if (!v)
        return none;
    if (r->strat[v] < 0) {
        bad(r, w, LFS_EFORMAT, "%s points to word %u, which is no ROstrt"
            " string", what, v);
        return none;
    }
    return r->strs[r->strat[v]];
}

static int read_strings(reader_t *r, uint32_t nsize, uint32_t nuse)
{
    if (nsize < 2 || (nsize & (nsize - 1)) || nsize > r->nwords)
        return bad(r, 5, LFS_EFORMAT, "ROstrt has %u buckets, not a power of"
                   " two that fits; rebuild the image with luac.cross -f",
                   nsize);
    if (claim(r, 8, nsize, "ROstrt bucket vector"))
        return r->err;
    if (nuse > r->nwords / (LFS51_TSTRING_WORDS + 1))
        return bad(r, 4, LFS_EFORMAT, "nROuse %u is impossible: %u strings"
                   " cannot fit in a %u-word image", nuse, nuse, r->nwords);
    r->strs = lfs_model_alloc(r->m, sizeof *r->strs * (nuse + 1));
    if (!r->strs)
        return bad(r, 4, LFS_ENOMEM, "out of memory");
    for (uint32_t b = 0; b < nsize && !r->err; b++) {
        uint32_t w = ref(r, 8 + b, "ROstrt bucket");
        uint32_t prev = r->nwords;
        while (w && !r->err) {
            if (w >= prev)
                return bad(r, w, LFS_EFORMAT, "ROstrt chain of bucket %u does"
                           " not descend (a loop?); the image is corrupt", b);
            if (claim(r, w, LFS51_TSTRING_WORDS, "TString header"))
                return r->err;
            uint32_t tm = word_at(r, w + 1), h = word_at(r, w + 2);
            uint32_t len = word_at(r, w + 3);
            if (tm != (LFS51_TSTRING | LFS51_LFSBIT << 8))
                return bad(r, w + 1, LFS_EFORMAT, "TString tt/marked word is"
                           " 0x%08x, not 0x%08x (STRING, LFSBIT): the VM would"
                           " write to flash", tm,
                           LFS51_TSTRING | LFS51_LFSBIT << 8);
            uint32_t cw = len / 4 + 1;
            if (len >= 4 * r->nwords ||
                claim(r, w + LFS51_TSTRING_WORDS, cw, "string characters"))
                return bad(r, w + 3, LFS_EFORMAT, "string length %u runs past"
                           " the image", len);
            const char *s = (const char *)r->p + 4 * (size_t)(w + 4);
            for (uint32_t i = len; i < 4 * cw; i++)
                if (s[i] != 0)
                    return bad(r, w + 4 + i / 4, LFS_EFORMAT, "string is not"
                               " NUL-terminated and zero-padded");
            if (lfs51_hash(s, len) != h)
                return bad(r, w + 2, LFS_EFORMAT, "string hash 0x%08x should"
                           " be 0x%08x", h, lfs51_hash(s, len));
            if ((h & (nsize - 1)) != b)
                return bad(r, w + 2, LFS_EFORMAT, "string with hash 0x%08x is"
                           " chained in bucket %u, not %u", h, b,
                           h & (nsize - 1));
            if (r->nstrs >= nuse)
                return bad(r, 4, LFS_EFORMAT, "the ROstrt holds more strings"
                           " than nROuse = %u", nuse);
            lfs_str_t *st = &r->strs[r->nstrs];
            if (lfs_model_str(r->m, s, len, st))
                return bad(r, w, LFS_ENOMEM, "out of memory");
            r->strat[w] = (int32_t)r->nstrs++;
            prev = w;
            w = ref(r, w, "TString next");
        }
    }
    if (!r->err && r->nstrs != nuse)
        return bad(r, 4, LFS_EFORMAT, "nROuse is %u but the ROstrt holds %u"
                   " strings", nuse, r->nstrs);
    return r->err;
}

static lfs_proto_t *read_proto(reader_t *r, uint32_t w, int depth);

static void read_consts(reader_t *r, lfs_proto_t *f, uint32_t kw)
{
    uint32_t tvw = r->integral ? 2 : 3;
    if (claim(r, kw, (uint32_t)f->sizek * tvw, "constant vector"))
        return;
    f->k = lfs_model_alloc(r->m, sizeof *f->k * (size_t)f->sizek);
    if (!f->k) {
        bad(r, kw, LFS_ENOMEM, "out of memory");
        return;
    }
    for (int i = 0; i < f->sizek && !r->err; i++) {
        uint32_t w = kw + (uint32_t)i * tvw;
        uint32_t tt = word_at(r, w + tvw - 1);
        lfs_const_t *k = &f->k[i];
        uint32_t hi = r->integral ? 0 : word_at(r, w + 1);
        switch (tt) {
        case LFS51_TNIL:
            k->type = LFS_KNIL;
            if (word_at(r, w) || hi)
                bad(r, w, LFS_EFORMAT, "nil constant with a non-zero value");
            break;
        case LFS51_TBOOLEAN:
            k->type = LFS_KBOOL;
            k->b = (int)word_at(r, w);
            if (k->b > 1 || hi)
                bad(r, w, LFS_EFORMAT, "boolean constant is not 0 or 1");
            break;
        case LFS51_TNUMBER:
            if (r->integral) {
                k->type = LFS_KINT;
                k->i = (int32_t)word_at(r, w);
            } else {
                uint64_t u = word_at(r, w) | (uint64_t)hi << 32;
                k->type = LFS_KNUM;
                memcpy(&k->n, &u, sizeof k->n);
            }
            break;
        case LFS51_TSTRING:
            k->type = LFS_KSTR;
            k->s = str_ref(r, w, "string constant");
            if (!r->err && !k->s.data)
                bad(r, w, LFS_EFORMAT, "string constant is NULL");
            if (hi)
                bad(r, w + 1, LFS_EFORMAT, "string constant padding is not"
                    " zero");
            break;
        default:
            bad(r, w + tvw - 1, LFS_EFORMAT, "constant %d has type tag %u;"
                " an LFS constant is nil, boolean, number or string", i, tt);
        }
    }
}

static void read_lines(reader_t *r, lfs_proto_t *f, uint32_t fw)
{
    uint32_t lw = ref(r, fw + 5, "packedlineinfo");
    if (!lw || r->err)
        return;
    if (lw < LFS51_TSTRING_WORDS || r->strat[lw - LFS51_TSTRING_WORDS] < 0) {
        bad(r, fw + 5, LFS_EFORMAT, "packedlineinfo does not point at the"
            " characters of a ROstrt string");
        return;
    }
    lfs_str_t s = r->strs[r->strat[lw - LFS51_TSTRING_WORDS]];
    int any;
    f->lineinfo = lfs_model_alloc(r->m, sizeof(int) * (size_t)f->sizecode);
    f->linefix = lfs_model_alloc(r->m, (size_t)f->sizecode);
    if (!f->lineinfo || !f->linefix) {
        bad(r, fw, LFS_ENOMEM, "out of memory");
        return;
    }
    if (lfs51_lines_unpack((const uint8_t *)s.data, s.len, f->lineinfo,
                           f->linefix, f->sizecode, &any) != f->sizecode ||
        memchr(s.data, 0x7F, s.len)) {
        bad(r, fw + 5, LFS_EFORMAT, "packed line info does not describe the"
            " function's %d instructions", f->sizecode);
        return;
    }
    f->sizelineinfo = f->sizecode;
    if (!any)
        f->linefix = NULL;
}

static lfs_proto_t *read_proto(reader_t *r, uint32_t w, int depth)
{
    if (depth > 200) {
        bad(r, w, LFS_EFORMAT, "functions nested more than 200 deep");
        return NULL;
    }
    if (claim(r, w, LFS51_PROTO_WORDS, "Proto"))
        return NULL;
    lfs_proto_t *f = lfs_model_proto(r->m);
    if (!f) {
        bad(r, w, LFS_ENOMEM, "out of memory");
        return NULL;
    }
    r->nprotos++;
    if (word_at(r, w) || word_at(r, w + 1) || word_at(r, w + 16)) {
        bad(r, w, LFS_EFORMAT, "Proto next, tt/marked and gclist must be"
            " zero");
        return NULL;
    }
    int32_t sz[5];
    const char *names[5] = { "sizeupvalues", "sizek", "sizecode", "sizep",
                             "sizelocvars" };
    for (int i = 0; i < 5; i++) {
        sz[i] = (int32_t)word_at(r, w + 9 + (uint32_t)i);
        if (sz[i] < 0 || (uint32_t)sz[i] > r->nwords) {
            bad(r, w + 9 + (uint32_t)i, LFS_EFORMAT, "%s %d is impossible in"
                " a %u-word image", names[i], sz[i], r->nwords);
            return NULL;
        }
    }
    f->sizeupvalues = sz[0];
    f->sizek = sz[1];
    f->sizecode = sz[2];
    f->sizep = sz[3];
    f->sizelocvars = sz[4];
    f->linedefined = (int32_t)word_at(r, w + 14);
    f->lastlinedefined = (int32_t)word_at(r, w + 15);
    uint32_t bytes = word_at(r, w + 17);
    f->nups = (uint8_t)bytes;
    f->numparams = (uint8_t)(bytes >> 8);
    f->is_vararg = (uint8_t)(bytes >> 16);
    f->maxstacksize = (uint8_t)(bytes >> 24);
    f->source = str_ref(r, w + 8, "Proto source");
    uint32_t kw = ref(r, w + 2, "Proto k");
    uint32_t cw = ref(r, w + 3, "Proto code");
    uint32_t pw = ref(r, w + 4, "Proto p");
    uint32_t lw = ref(r, w + 6, "Proto locvars");
    uint32_t uw = ref(r, w + 7, "Proto upvalues");
    if (r->err)
        return NULL;
    if (!cw || f->sizecode == 0 || !kw != !f->sizek || !pw != !f->sizep ||
        !lw != !f->sizelocvars || !uw != !f->sizeupvalues) {
        bad(r, w, LFS_EFORMAT, "Proto vector pointers and sizes disagree");
        return NULL;
    }
    if (f->sizek)
        read_consts(r, f, kw);
    if (claim(r, cw, (uint32_t)f->sizecode, "code"))
        return NULL;
    f->code = lfs_model_alloc(r->m, 4 * (size_t)f->sizecode);
    if (!f->code) {
        bad(r, cw, LFS_ENOMEM, "out of memory");
        return NULL;
    }
    for (int i = 0; i < f->sizecode; i++)
        f->code[i] = word_at(r, cw + (uint32_t)i);
    read_lines(r, f, w);
    if (f->sizelocvars && !claim(r, lw, 3 * (uint32_t)f->sizelocvars,
                                 "locvars")) {
        f->locvars = lfs_model_alloc(r->m, sizeof *f->locvars *
                                     (size_t)f->sizelocvars);
        for (int i = 0; f->locvars && i < f->sizelocvars && !r->err; i++) {
            uint32_t e = lw + 3 * (uint32_t)i;
            f->locvars[i].varname = str_ref(r, e, "local name");
            f->locvars[i].startpc = (int32_t)word_at(r, e + 1);
            f->locvars[i].endpc = (int32_t)word_at(r, e + 2);
        }
    }
    if (f->sizeupvalues && !claim(r, uw, (uint32_t)f->sizeupvalues,
                                  "upvalue names")) {
        f->upvalues = lfs_model_alloc(r->m, sizeof *f->upvalues *
                                      (size_t)f->sizeupvalues);
        for (int i = 0; f->upvalues && i < f->sizeupvalues && !r->err; i++)
            f->upvalues[i].name = str_ref(r, uw + (uint32_t)i,
                                          "upvalue name");
    }
    if (f->sizep && !claim(r, pw, (uint32_t)f->sizep, "Proto vector")) {
        f->p = lfs_model_alloc(r->m, sizeof *f->p * (size_t)f->sizep);
        for (int i = 0; f->p && i < f->sizep && !r->err; i++) {
            uint32_t cwp = ref(r, pw + (uint32_t)i, "child Proto");
            if (!r->err && !cwp)
                bad(r, pw + (uint32_t)i, LFS_EFORMAT, "child Proto is NULL");
            if (!r->err)
                f->p[i] = read_proto(r, cwp, depth + 1);
        }
    }
    if (!r->err && ((f->sizelocvars && !f->locvars) ||
                    (f->sizeupvalues && !f->upvalues) ||
                    (f->sizep && !f->p)))
        bad(r, w, LFS_ENOMEM, "out of memory");
    return r->err ? NULL : f;
}

static int check_bitmap(reader_t *r, const uint8_t *bm)
{
    for (uint32_t w = 0; w < r->nwords; w++) {
        int marked = bm[4 * (w / 32) + (w % 32) / 8] >> (w % 8) & 1;
        if (marked != r->isptr[w])
            return bad(r, w, LFS_EFORMAT, marked
                       ? "word %u is marked in the relocation bitmap but"
                         " holds no pointer"
                       : "word %u holds a pointer the relocation bitmap does"
                         " not mark", w);
    }
    uint32_t nbits = 32 * ((r->nwords + 31) / 32);
    for (uint32_t w = r->nwords; w < nbits; w++)
        if (bm[4 * (w / 32) + (w % 32) / 8] >> (w % 8) & 1)
            return bad(r, r->nwords + w / 32, LFS_EFORMAT, "relocation bitmap"
                       " marks word %u, past the image end", w);
    return 0;
}

const char *lfs51_reload_check(const uint8_t h[32], uint32_t isize,
                               uint32_t fw_sig, uint32_t lfs_size)
{
    uint32_t sig = lfs_le32(h), size = lfs_le32(h + 4);
    if ((sig & LFS51_SIG_VMASK) != LFS51_SIG_VERSION)
        return LFS51_MSG_VERSION;
    if ((sig & LFS51_SIG_PACKED) != (fw_sig & LFS51_SIG_PACKED))
        return LFS51_MSG_BUILD;
    if ((sig & ~LFS51_SIG_ABSOLUTE) != fw_sig)
        return LFS51_MSG_BADSIG;
    if (size > lfs_size)
        return LFS51_MSG_TOOBIG;
    if (size % 4 || size < sizeof(lfs51_header_t) || isize < size ||
        (isize - size) / 4 != 1 + (size / 4 - 1) / 32)
        return LFS51_MSG_LENGTH;
    return NULL;
}

int lfs51_read(const uint8_t *p, size_t n, lfs_model_t *m, lfs_diag_t *d,
               lfs51_info_t *info, lfs_proto_t **index)
{
    reader_t r;
    memset(&r, 0, sizeof r);
    memset(info, 0, sizeof *info);
    *index = NULL;
    r.p = p;
    r.m = m;
    r.d = d;
    if (n < sizeof(lfs51_header_t))
        return lfs_fail(d, 0, LFS_EFORMAT, "%zu bytes is too short for an LFS"
                        " image header (32 bytes)", n);
    lfs51_header_t *h = &info->h;
    h->flash_sig = lfs_le32(p);
    h->flash_size = lfs_le32(p + 4);
    h->mainProto = lfs_le32(p + 8);
    h->pROhash = lfs_le32(p + 12);
    h->nROuse = lfs_le32(p + 16);
    h->nROsize = lfs_le32(p + 20);
    h->fill[0] = lfs_le32(p + 24);
    h->fill[1] = lfs_le32(p + 28);
    uint32_t sig = h->flash_sig & ~LFS51_SIG_ABSOLUTE;
    if (sig != LFS51_SIG_FLOAT && sig != LFS51_SIG_INT)
        return lfs_fail(d, 0, LFS_EFORMAT, "signature 0x%08x is not a NodeMCU"
                        " Lua 5.1 LFS image (0xFAFAA154 float, 0xFAFAA152"
                        " integer)", h->flash_sig);
    r.integral = info->integral = sig == LFS51_SIG_INT;
    r.absolute = info->absolute = (h->flash_sig & LFS51_SIG_ABSOLUTE) != 0;
    if (h->flash_size % 4 || h->flash_size < sizeof *h + 4 * 18 ||
        h->flash_size > n)
        return lfs_fail(d, 4, LFS_EFORMAT, "flash_size %u does not fit the"
                        " %zu-byte file", h->flash_size, n);
    r.nwords = h->flash_size / 4;
    size_t bmbytes = r.absolute ? 0 : 4 * (size_t)((r.nwords + 31) / 32);
    if (n != h->flash_size + bmbytes)
        return lfs_fail(d, (long)h->flash_size, LFS_EFORMAT, "%s image of %u"
                        " bytes should be %zu bytes long, not %zu",
                        r.absolute ? "an absolute" : "a relocatable",
                        h->flash_size, h->flash_size + bmbytes, n);
    if (h->fill[0] || h->fill[1])
        return lfs_fail(d, 0x18, LFS_EFORMAT, "header fill words are not"
                        " zero");
    if (r.absolute) {
        r.base = h->mainProto - 4 * (r.nwords - LFS51_PROTO_WORDS);
        info->base = r.base;
        if (h->pROhash != r.base + 4 * 8)
            return lfs_fail(d, 0x0C, LFS_EFORMAT, "pROhash 0x%08x and"
                            " mainProto 0x%08x disagree about the base"
                            " address", h->pROhash, h->mainProto);
    }
    r.owned = calloc(r.nwords, 1);
    r.isptr = calloc(r.nwords, 1);
    r.strat = malloc(sizeof *r.strat * r.nwords);
    if (!r.owned || !r.isptr || !r.strat) {
        free(r.owned);
        free(r.isptr);
        free(r.strat);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    memset(r.strat, 0xFF, sizeof *r.strat * r.nwords);
    memset(r.owned, 1, 8);                          /* the header */
    uint32_t mainw = ref(&r, 2, "mainProto");
    uint32_t hashw = ref(&r, 3, "pROhash");
    if (!r.err && hashw != 8)
        bad(&r, 3, LFS_EFORMAT, "pROhash must point at word 8, right after"
            " the header");
    if (!r.err && mainw != r.nwords - LFS51_PROTO_WORDS)
        bad(&r, 2, LFS_EFORMAT, "mainProto must be the image's last 18"
            " words");
    if (!r.err)
        read_strings(&r, h->nROsize, h->nROuse);
    lfs_proto_t *f = r.err ? NULL : read_proto(&r, mainw, 0);
    for (uint32_t w = 0; !r.err && w < r.nwords; w++)
        if (!r.owned[w])
            bad(&r, w, LFS_EFORMAT, "word %u belongs to no object (a gap in"
                " the image)", w);
    if (!r.err && !r.absolute)
        check_bitmap(&r, p + h->flash_size);
    for (uint32_t w = 0; w < r.nwords; w++)
        info->nreloc += r.isptr[w];
    free(r.owned);
    free(r.isptr);
    free(r.strat);
    if (r.err)
        return r.err;
    info->image_size = h->flash_size;
    info->nprotos = r.nprotos;
    info->nmodules = f->sizep;
    if (f->sizek > 0) {
        const lfs_const_t *t = &f->k[f->sizek - 1];
        /* Any number may stand there; only a representable one is shown. */
        info->timestamp = t->type == LFS_KINT ? t->i
                        : t->type == LFS_KNUM && t->n > -9.2e18 &&
                          t->n < 9.2e18 ? (int64_t)t->n : 0;
    }
    *index = f;
    return 0;
}
