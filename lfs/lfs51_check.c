/*
** lfs51_check.c: the firmware's check of a Lua 5.1 LFS image in place
** (lfs51_check.h). In order: the header (signature, sizes, pROhash at
** word 8, mainProto the last 18 words, nROsize); every ROstrt chain
** (descending, each TString's tag and mark word, length, terminator,
** padding, hash and bucket, nROuse in all); then every Proto reachable
** from mainProto, depth first: header words, sizes, vectors inside the
** image, constants, source, line info and debug names that are ROstrt
** strings, children, and the code (lc51_code_check). A pointer is a
** mapped address; it must be word-aligned, past the header, and the
** whole object it names must lie inside the image. The walk keeps, per
** level, where the children are and which comes next (path); a budget of
** one visit per 72 bytes stops images whose Protos share children from
** walking forever. With a map of the chained strings from the caller, a
** string reference costs one bit instead of a walk along its chain (the
** same answer, fewer reads: reload's pass 1 reads from a stream).
** Spec: docs/lfs51.md §3.13. Twin: lfs51_read.c. May call: lc51_code,
** lfs51.h (constants, hash), lfs_diag.h (codes), libc.
*/
#include "lfs/lfs51_check.h"

#include <string.h>

#include "lfs/lc51_code.h"
#include "lfs/lfs51.h"

#define HEADER  32u                     /* bytes */
#define PROTO   (4u * LFS51_PROTO_WORDS)
#define TSTRING (4u * LFS51_TSTRING_WORDS)

/* Proto field offsets (docs/lfs51.md §2.6). */
enum { P_K = 8, P_CODE = 12, P_P = 16, P_LINES = 20, P_LOCVARS = 24,
       P_UPVALUES = 28, P_SOURCE = 32, P_SIZES = 36, P_SIZEP = 48,
       P_GCLIST = 64, P_BYTES = 68 };

static int fail(lfs51_check_t *c, uint32_t at, const char *what)
{
    if (!c->err) {
        c->err = LFS_EFORMAT;
        c->at = at;
        c->what = what;
    }
    return c->err;
}

/* The word at image offset off; 0 after a fault. */
static uint32_t get(lfs51_check_t *c, uint32_t off)
{
    uint32_t w = 0;
    if (c->err)
        return 0;
    if (off % 4 || off >= c->size) {
        fail(c, off, "read outside the image (a checker bug)");
        return 0;
    }
    if (c->load(c->ctx, c->base + off, &w) < 0) {
        c->err = LFS_EIO;
        c->at = off;
        c->what = "the image could not be read";
        return 0;
    }
    return w;
}

static uint8_t byte(lfs51_check_t *c, uint32_t off)
{
    uint32_t w = off & ~3u;
    if (w != c->cached) {
        c->cword = get(c, w);
        c->cached = w;
    }
    return (uint8_t)(c->cword >> 8 * (off & 3));
}

/* The offset of the object of n bytes the pointer in word at names, or 0
** for NULL; a fault (what) unless it is word-aligned, past the header and
** wholly inside the image. */
static uint32_t ref(lfs51_check_t *c, uint32_t at, uint64_t n,
                    const char *what)
{
    uint32_t v = get(c, at);
    if (c->err || v == 0)
        return 0;
    uint32_t off = v - c->base;
    if (off % 4 || off < HEADER || off >= c->size || n > c->size - off) {
        fail(c, at, what);
        return 0;
    }
    return off;
}

/* ---- the ROstrt --------------------------------------------------------- */

/* The TString at t (16 bytes inside the image), chained in bucket b. */
static void string_ok(lfs51_check_t *c, uint32_t t, uint32_t b)
{
    uint32_t tm = get(c, t + 4), h = get(c, t + 8), len = get(c, t + 12);
    if (tm != (LFS51_TSTRING | LFS51_LFSBIT << 8)) {
        fail(c, t + 4, "TString tt/marked word is not 0x00004004 (STRING,"
             " LFS)");
        return;
    }
    /* room is a multiple of 4, so the padded characters fit if len does */
    uint32_t room = c->size - t - TSTRING, s = t + TSTRING;
    if (len >= room) {
        fail(c, t + 12, "string length runs past the image");
        return;
    }
    for (uint32_t i = len; i < (len / 4 + 1) * 4; i++)
        if (byte(c, s + i) != 0) {
            fail(c, s + (i & ~3u), "string is not NUL-terminated and"
                 " zero-padded");
            return;
        }
    uint32_t hh = len, step = (len >> 5) + 1;
    for (uint32_t i = len; i >= step; i -= step)
        hh = lfs51_hash_step(hh, byte(c, s + i - 1));
    if (hh != h)
        fail(c, t + 8, "string hash is wrong");
    else if ((h & (c->nsize - 1)) != b)
        fail(c, t + 8, "string is chained in the wrong ROstrt bucket");
}

/* The chains of BATCH buckets at a time, walked together from the highest
** string down, so that the strings are read in descending order. */
#define BATCH 32

static void strings_ok(lfs51_check_t *c)
{
    uint32_t n = 0, first = HEADER + 4 * c->nsize;
    uint32_t at[BATCH], t[BATCH];   /* per chain: the word naming t, t */
    for (uint32_t b0 = 0; b0 < c->nsize && !c->err; b0 += BATCH) {
        uint32_t k = c->nsize - b0 < BATCH ? c->nsize - b0 : BATCH;
        for (uint32_t i = 0; i < k; i++) {
            at[i] = HEADER + 4 * (b0 + i);
            t[i] = ref(c, at[i], TSTRING, "ROstrt bucket points outside"
                       " the image");
        }
        while (!c->err) {
            uint32_t i = 0;
            for (uint32_t j = 1; j < k; j++)
                if (t[j] > t[i])
                    i = j;
            if (!t[i])
                break;
            if (at[i] >= first && t[i] >= at[i])
                fail(c, at[i], "ROstrt chain does not descend (a loop?)");
            else if (t[i] < first)
                fail(c, at[i], "ROstrt string overlaps the bucket vector");
            else if (++n > c->nuse)
                fail(c, 0x10, "the ROstrt holds more strings than nROuse");
            string_ok(c, t[i], b0 + i);
            if (c->strmap)
                c->strmap[t[i] / 128] |= 1u << (t[i] / 4 % 32);
            at[i] = t[i];
            t[i] = ref(c, at[i], TSTRING, "TString next points outside the"
                       " image");
        }
    }
    if (n != c->nuse)
        fail(c, 0x10, "nROuse differs from the strings in the ROstrt");
}

/* Whether the string at t (16 bytes inside) is in the ROstrt: its bit in
** the caller's map of the chained strings, or else its bucket's chain,
** which descends, passes through t. */
static int rostr(lfs51_check_t *c, uint32_t t)
{
    if (c->strmap)
        return (int)(c->strmap[t / 128] >> (t / 4 % 32) & 1);
    uint32_t h = get(c, t + 8);
    uint32_t s = get(c, HEADER + 4 * (h & (c->nsize - 1)));
    while (s && s - c->base > t && !c->err)
        s = get(c, s - c->base);
    return s && s - c->base == t;
}

/* The pointer in word at names a ROstrt string (never NULL). */
static void strref(lfs51_check_t *c, uint32_t at, const char *what)
{
    uint32_t t = ref(c, at, TSTRING, what);
    if (!c->err && (!t || !rostr(c, t)))
        fail(c, at, what);
}

/* ---- Protos ------------------------------------------------------------- */

/* What the code check reads, through c. */
typedef struct fn {
    lfs51_check_t *c;
    uint32_t code, k, p, kbytes;
} fn_t;

static uint32_t fn_instr(const void *ud, int32_t pc)
{
    const fn_t *f = ud;
    return get(f->c, f->code + 4 * (uint32_t)pc);
}

static int fn_ktype(const void *ud, int32_t i)
{
    const fn_t *f = ud;
    return (int)get(f->c, f->k + f->kbytes * (uint32_t)(i + 1) - 4);
}

static int fn_childnups(const void *ud, int32_t i)
{
    const fn_t *f = ud;
    uint32_t child = get(f->c, f->p + 4 * (uint32_t)i) - f->c->base;
    return (int)(get(f->c, child + P_BYTES) & 0xFF);
}

static void consts_ok(lfs51_check_t *c, const fn_t *f, int32_t sizek)
{
    uint32_t tv = f->kbytes;
    for (uint32_t i = 0; i < (uint32_t)sizek && !c->err; i++) {
        uint32_t w = f->k + tv * i, tt = get(c, w + tv - 4);
        uint32_t v = get(c, w), hi = tv == 12 ? get(c, w + 4) : 0;
        if (tt == LFS51_TNIL && (v || hi))
            fail(c, w, "nil constant with a non-zero value");
        else if (tt == LFS51_TBOOLEAN && (v > 1 || hi))
            fail(c, w, "boolean constant is not 0 or 1");
        else if (tt == LFS51_TSTRING && hi)
            fail(c, w + 4, "string constant padding is not zero");
        else if (tt == LFS51_TSTRING)
            strref(c, w, "string constant is not a ROstrt string");
        else if (tt != LFS51_TNUMBER && tt > LFS51_TBOOLEAN)
            fail(c, w + tv - 4, "constant type tag is not nil, boolean,"
                 " number or string");
    }
}

/* The Proto at f (72 bytes inside the image), not its children's. */
static void proto_ok(lfs51_check_t *c, uint32_t f)
{
    if (get(c, f) || get(c, f + 4) || get(c, f + P_GCLIST)) {
        fail(c, f, "Proto next, tt/marked and gclist must be zero");
        return;
    }
    int32_t sz[5];      /* sizeupvalues, sizek, sizecode, sizep, locvars */
    for (uint32_t i = 0; i < 5; i++) {
        sz[i] = (int32_t)get(c, f + P_SIZES + 4 * i);
        if (sz[i] < 0 || (uint32_t)sz[i] > c->size / 4)
            fail(c, f + P_SIZES + 4 * i, "Proto size is impossible in the"
                 " image");
    }
    uint32_t bytes = get(c, f + P_BYTES);
    fn_t fn = { c, 0, 0, 0, c->integral ? 8u : 12u };
    strref(c, f + P_SOURCE, "Proto source is not a ROstrt string");
    fn.k = ref(c, f + P_K, (uint64_t)fn.kbytes * (uint32_t)sz[1],
               "Proto k vector leaves the image");
    fn.code = ref(c, f + P_CODE, 4 * (uint64_t)(uint32_t)sz[2],
                  "Proto code vector leaves the image");
    fn.p = ref(c, f + P_P, 4 * (uint64_t)(uint32_t)sz[3],
               "Proto p vector leaves the image");
    uint32_t lv = ref(c, f + P_LOCVARS, 12 * (uint64_t)(uint32_t)sz[4],
                      "Proto locvars vector leaves the image");
    uint32_t uv = ref(c, f + P_UPVALUES, 4 * (uint64_t)(uint32_t)sz[0],
                      "Proto upvalue names leave the image");
    uint32_t li = ref(c, f + P_LINES, 1, "packedlineinfo leaves the image");
    if (c->err)
        return;
    if (!fn.code || !sz[2] || !fn.k != !sz[1] || !fn.p != !sz[3] ||
        !lv != !sz[4] || !uv != !sz[0] || sz[3] > UINT16_MAX) {
        fail(c, f, "Proto vector pointers and sizes disagree");
        return;
    }
    if (li && (li < HEADER + TSTRING || !rostr(c, li - TSTRING)))
        fail(c, f + P_LINES, "packedlineinfo is not the characters of a"
             " ROstrt string");
    consts_ok(c, &fn, sz[1]);
    for (uint32_t i = 0; i < (uint32_t)sz[4] && !c->err; i++)
        strref(c, lv + 12 * i, "local name is not a ROstrt string");
    for (uint32_t i = 0; i < (uint32_t)sz[0] && !c->err; i++)
        strref(c, uv + 4 * i, "upvalue name is not a ROstrt string");
    for (uint32_t i = 0; i < (uint32_t)sz[3] && !c->err; i++)
        if (!ref(c, fn.p + 4 * i, PROTO, "child Proto leaves the image"))
            fail(c, fn.p + 4 * i, "child Proto is NULL");
    if (c->err)
        return;
    lc51_code_t code = {
        sz[2], sz[1], sz[3], (uint8_t)bytes, (uint8_t)(bytes >> 8),
        (uint8_t)(bytes >> 16), (uint8_t)(bytes >> 24), &fn, fn_instr,
        fn_ktype, fn_childnups
    };
    int32_t pc;
    int rc = lc51_code_check(&code, &pc);
    if (!c->err && rc == LC51_CODE_BADFUNC)
        fail(c, f + P_BYTES, "function header fails lua5.1's code"
             " check");
    else if (!c->err && rc != LC51_CODE_OK)
        fail(c, fn.code + 4 * (uint32_t)pc, "instruction fails lua5.1's"
             " code check");
}

/* Level d of the walk: the Proto at f, checked; its children next, the
** last first (so a luac.cross image, laid out children first, is read
** from its end down). */
static void enter(lfs51_check_t *c, int d, uint32_t f)
{
    lfs51_check_level_t *l = &c->path[d];
    l->sizep = (uint16_t)get(c, f + P_SIZEP);
    l->p = l->sizep ? get(c, f + P_P) - c->base : 0;
    l->next = l->sizep;
}

static void protos_ok(lfs51_check_t *c, uint32_t main)
{
    uint32_t budget = c->size / PROTO - 1;
    int d = 0;
    proto_ok(c, main);
    if (!c->err && (get(c, main + P_BYTES) & 0xFF) != 0)
        fail(c, main + P_BYTES, "the index function has upvalues");
    enter(c, 0, main);
    while (!c->err) {
        lfs51_check_level_t *l = &c->path[d];
        if (l->next > 0) {
            uint32_t at = l->p + 4 * (uint32_t)--l->next;
            uint32_t f = get(c, at) - c->base;
            if (d == LFS51_CHECK_DEPTH)
                fail(c, at, "functions nested more than 200 deep");
            else if (budget-- == 0)
                fail(c, at, "more functions than the image can hold"
                     " (shared Protos)");
            proto_ok(c, f);
            enter(c, ++d, f);
        } else if (d-- == 0) {
            break;
        }
    }
}

int lfs51_check(lfs51_check_t *c, lfs51_load_fn load, void *ctx,
                uint32_t base, uint32_t limit, int integral,
                uint32_t *strmap)
{
    memset(c, 0, sizeof *c);
    c->load = load;
    c->ctx = ctx;
    c->base = base;
    c->integral = integral;
    c->size = HEADER;
    c->cached = UINT32_MAX;
    uint32_t sig = get(c, 0), size = get(c, 4), mainp = get(c, 8);
    uint32_t hash = get(c, 12);
    c->nuse = get(c, 16);
    c->nsize = get(c, 20);
    uint32_t want = integral ? LFS51_SIG_INT : LFS51_SIG_FLOAT;
    if ((sig & ~LFS51_SIG_ABSOLUTE) != want)
        fail(c, 0, "the signature is not this firmware's");
    else if (size % 4 || size < HEADER + PROTO || size > limit)
        fail(c, 4, "flash_size is impossible or past the data");
    else if (get(c, 24) || get(c, 28))
        fail(c, 24, "header fill words are not zero");
    if (c->err)
        return c->err;
    c->size = size;
    if (strmap) {
        c->strmap = strmap;
        memset(strmap, 0, LFS51_CHECK_MAPBYTES(size));
    }
    if (mainp - base != size - PROTO)
        fail(c, 8, "mainProto is not the image's last 18 words");
    else if (hash - base != HEADER)
        fail(c, 12, "pROhash does not point at word 8");
    else if (c->nsize < 2 || (c->nsize & (c->nsize - 1)) ||
             c->nsize > (size - HEADER - PROTO) / 4)
        fail(c, 20, "nROsize is not a power of two that fits");
    if (!c->err)
        strings_ok(c);
    if (!c->err)
        protos_ok(c, size - PROTO);
    return c->err;
}

/* ---- host buffers ------------------------------------------------------- */

typedef struct payload {
    const uint8_t *p;
    size_t n;               /* bytes at p */
    uint32_t size, base;    /* flash_size; the base it is checked at */
    int reloc;              /* relocate marked words as the loader does */
} payload_t;

static int payload_load(void *ctx, uint32_t addr, uint32_t *w)
{
    const payload_t *b = ctx;
    uint32_t off = addr - b->base, i = off / 4;
    size_t bm = b->size + 4 * (size_t)(i / 32) + (i % 32) / 8;
    if (b->n < 4 || off > b->n - 4)
        return -1;
    *w = lfs_le32(b->p + off);
    if (b->reloc && off != 0 && bm < b->n && (b->p[bm] >> (i % 8) & 1))
        *w = 4 * *w + b->base;
    return 0;
}

int lfs51_check_payload(const uint8_t *p, size_t n, int integral,
                        lfs_diag_t *d)
{
    payload_t b = { p, n, 0, LFS51_FLASH_MAPPED, 1 };
    lfs51_check_t c;
    if (n >= 12 && (lfs_le32(p) & LFS51_SIG_ABSOLUTE)) {
        b.reloc = 0;
        b.base = lfs_le32(p + 8) - (lfs_le32(p + 4) - PROTO);
    }
    b.size = n >= 8 ? lfs_le32(p + 4) : 0;
    uint32_t limit = b.size <= n ? b.size : 0;
    if (lfs51_check(&c, payload_load, &b, b.base, limit, integral, NULL)
        == 0)
        return 0;
    return lfs_fail(d, (long)c.at, LFS_EFORMAT, "%s; the firmware would"
                    " refuse this image at boot, rebuild it with luac.cross",
                    c.what);
}
