/*
** lfs51_write.c: writes NodeMCU Lua 5.1 LFS images (docs/lfs51.md §3, §4): the
** index function (§3.11), the string hash (§3.6), and the serialiser: one
** bump allocation over the image in the order header, ROstrt buckets,
** strings (lfs51_strtab order), then every Proto post-order (§3.4), with
** pointers as word offsets marked in the relocation bitmap (§3.12), or
** resolved to a mapped base for absolute images (§4.2).
** Twin: lfs51_read.c. May call: lfs_model, lfs_buf, lfs51_lines,
** lc51_code (opcodes), libc.
*/
#include "lfs/lfs51.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc51_code.h"
#include "lfs/lfs51_lines.h"

void lfs51_module_name(lfs_str_t source, char *out, size_t n)
{
    const char *s = source.data ? source.data + (source.len > 0) : "";
    const char *slash = strrchr(s, '/');
    const char *b = slash ? slash + 1 : strrchr(s, '\\');
    if (!slash && b)
        b++;
    if (!b)
        b = s;
    while (*b == '.')
        b++;
    size_t len = strcspn(b, ".");
    if (len == 0) {
        b = s;
        len = strlen(s);
    }
    if (len >= n)
        len = n - 1;
    memcpy(out, b, len);
    out[len] = 0;
}

/* Instruction fields of stock Lua 5.1 (docs/lfs51.md §2.9). */
#define MAXARG_SBX 131071
#define RKK(x) (256 + (x))

static uint32_t iABC(int op, int a, int b, int c)
{
    return (uint32_t)op | (uint32_t)a << 6 | (uint32_t)c << 14 |
           (uint32_t)b << 23;
}

static uint32_t iABx(int op, int a, int bx)
{
    return (uint32_t)op | (uint32_t)a << 6 | (uint32_t)bx << 14;
}

/* Lua's "floating point byte": eeeeexxx, for NEWTABLE sizes. */
static int int2fb(unsigned x)
{
    int e = 0;
    while (x >= 16) {
        x = (x + 1) >> 1;
        e++;
    }
    return x < 8 ? (int)x : ((e + 1) << 3) | ((int)x - 8);
}

lfs_proto_t *lfs51_build_index(lfs_model_t *m, lfs_proto_t **mods,
                               const lfs_str_t *names, int n,
                               int64_t timestamp, int integral)
{
    lfs_proto_t *f = lfs_model_proto(m);
    if (!f || n < 0 || n > LFS51_MAXMODULES)
        return NULL;
    f->sizecode = 5 * n + 5;
    f->sizek = n + 1;
    f->sizep = n;
    f->code = lfs_model_alloc(m, 4 * (size_t)f->sizecode);
    f->k = lfs_model_alloc(m, sizeof *f->k * (size_t)f->sizek);
    f->p = lfs_model_alloc(m, sizeof *f->p * (size_t)(n ? n : 1));
    if (!f->code || !f->k || !f->p ||
        lfs_model_str(m, "=(luac)", 7, &f->source))
        return NULL;
    f->numparams = 1;
    f->is_vararg = 0;
    f->maxstacksize = (uint8_t)(n + 3);
    uint32_t *c = f->code;
    for (int i = 0; i < n; i++) {
        f->k[i].type = LFS_KSTR;
        f->k[i].s = names[i];
        f->p[i] = mods[i];
        *c++ = iABC(LC51_EQ, 0, 0, RKK(i));
        *c++ = iABx(LC51_JMP, 0, 2 + MAXARG_SBX);
        *c++ = iABx(LC51_CLOSURE, 1, i);
        *c++ = iABC(LC51_RETURN, 1, 2, 0);
    }
    if (integral) {
        f->k[n].type = LFS_KINT;
        f->k[n].i = (int32_t)timestamp;
    } else {
        f->k[n].type = LFS_KNUM;
        f->k[n].n = (double)timestamp;
    }
    *c++ = iABx(LC51_LOADK, 1, n);
    *c++ = iABC(LC51_NEWTABLE, 2, int2fb((unsigned)n), 0);
    for (int i = 0; i < n; i++)
        *c++ = iABx(LC51_LOADK, 3 + i, i);
    *c++ = iABC(LC51_SETLIST, 2, n, 1);
    *c++ = iABC(LC51_RETURN, 1, 3, 0);
    *c++ = iABC(LC51_RETURN, 0, 1, 0);
    return f;
}

typedef struct writer {
    lfs_buf_t *b;
    const lfs51_opts_t *o;
    lfs_diag_t *d;
    lfs_model_t *m;
    lfs_strmap_t str;       /* string -> word offset of its TString */
    uint32_t *relocs;       /* marked word indices */
    size_t nreloc, capreloc;
    int err;
} writer_t;

static uint32_t here(writer_t *w) { return (uint32_t)(w->b->len / 4); }

static void mark(writer_t *w)
{
    if (w->nreloc == w->capreloc) {
        size_t cap = w->capreloc ? w->capreloc * 2 : 1024;
        uint32_t *r = realloc(w->relocs, sizeof *r * cap);
        if (!r) {
            w->err = LFS_ENOMEM;
            return;
        }
        w->relocs = r;
        w->capreloc = cap;
    }
    w->relocs[w->nreloc++] = here(w);
}

/* A pointer word: 0 for NULL (unmarked), else a marked word offset. */
static void put_ref(writer_t *w, uint32_t word)
{
    if (word)
        mark(w);
    lfs_buf_le32(w->b, word);
}

static uint32_t str_ref(writer_t *w, lfs_str_t s)
{
    if (!s.data)
        return 0;
    int off = lfs_strmap_get(&w->str, s);
    if (off < 0 && !w->err)
        w->err = lfs_fail(w->d, -1, LFS_EUSAGE, "string missing from the"
                          " string table (internal error)");
    return off < 0 ? 0 : (uint32_t)off;
}

static void put_tvalue(writer_t *w, const lfs_const_t *k)
{
    int integral = w->o->integral;
    int tt = LFS51_TNIL;
    switch (k->type) {
    case LFS_KNIL:
        lfs_buf_zero(w->b, integral ? 4 : 8);
        break;
    case LFS_KBOOL:
        tt = LFS51_TBOOLEAN;
        lfs_buf_le32(w->b, (uint32_t)k->b);
        if (!integral)
            lfs_buf_le32(w->b, 0);
        break;
    case LFS_KSTR:
        tt = LFS51_TSTRING;
        put_ref(w, str_ref(w, k->s));
        if (!integral)
            lfs_buf_le32(w->b, 0);
        break;
    case LFS_KNUM:
    case LFS_KINT:
        tt = LFS51_TNUMBER;
        if (integral) {
            double v = k->type == LFS_KINT ? (double)k->i : k->n;
            if (v != floor(v) || v < INT32_MIN || v > INT32_MAX) {
                if (!w->err)
                    w->err = lfs_fail(w->d, -1, LFS_ELIMIT, "constant %.17g"
                                      " is not an int32; the integer build"
                                      " holds only whole numbers", v);
                v = 0;
            }
            lfs_buf_le32(w->b, (uint32_t)(int32_t)v);
        } else {
            double v = k->type == LFS_KINT ? (double)k->i : k->n;
            uint64_t u;
            memcpy(&u, &v, sizeof u);
            lfs_buf_le64(w->b, u);
        }
        break;
    }
    lfs_buf_le32(w->b, (uint32_t)tt);
}

static uint32_t put_proto(writer_t *w, const lfs_proto_t *f, int depth)
{
    uint32_t *child = NULL;
    uint32_t p = 0, k = 0, code, locvars = 0, upvalues = 0, lines = 0;
    if (depth > 200) {
        if (!w->err)
            w->err = lfs_fail(w->d, -1, LFS_ELIMIT, "functions nested too"
                              " deep");
        return 0;
    }
    if (f->sizep) {
        child = malloc(sizeof *child * (size_t)f->sizep);
        if (!child) {
            w->err = LFS_ENOMEM;
            return 0;
        }
        for (int i = 0; i < f->sizep; i++)
            child[i] = put_proto(w, f->p[i], depth + 1);
        p = here(w);
        for (int i = 0; i < f->sizep; i++)
            put_ref(w, child[i]);
        free(child);
    }
    if (f->sizek) {
        k = here(w);
        for (int i = 0; i < f->sizek; i++)
            put_tvalue(w, &f->k[i]);
    }
    code = here(w);
    for (int i = 0; i < f->sizecode; i++)
        lfs_buf_le32(w->b, f->code[i]);
    if (f->sizelocvars) {
        locvars = here(w);
        for (int i = 0; i < f->sizelocvars; i++) {
            put_ref(w, str_ref(w, f->locvars[i].varname));
            lfs_buf_le32(w->b, (uint32_t)f->locvars[i].startpc);
            lfs_buf_le32(w->b, (uint32_t)f->locvars[i].endpc);
        }
    }
    if (f->sizeupvalues) {
        upvalues = here(w);
        for (int i = 0; i < f->sizeupvalues; i++)
            put_ref(w, str_ref(w, f->upvalues[i].name));
    }
    if (f->sizelineinfo) {
        lfs_buf_t b;
        lfs_str_t s;
        lfs_buf_init(&b);
        lfs51_lines_pack(f->lineinfo, f->linefix, f->sizelineinfo, &b);
        s.data = (const char *)b.data;
        s.len = (uint32_t)b.len;
        /* packedlineinfo points at the characters (§3.9). */
        lines = b.err ? 0 : str_ref(w, s) + LFS51_TSTRING_WORDS;
        if (b.err)
            w->err = LFS_ENOMEM;
        lfs_buf_free(&b);
    }
    uint32_t self = here(w);
    lfs_buf_le32(w->b, 0);                  /* next */
    lfs_buf_le32(w->b, 0);                  /* tt, marked: zero, §3.7 */
    put_ref(w, k);
    put_ref(w, code);
    put_ref(w, p);
    put_ref(w, lines);
    put_ref(w, locvars);
    put_ref(w, upvalues);
    put_ref(w, str_ref(w, f->source));
    lfs_buf_le32(w->b, (uint32_t)f->sizeupvalues);
    lfs_buf_le32(w->b, (uint32_t)f->sizek);
    lfs_buf_le32(w->b, (uint32_t)f->sizecode);
    lfs_buf_le32(w->b, (uint32_t)f->sizep);
    lfs_buf_le32(w->b, (uint32_t)f->sizelocvars);
    lfs_buf_le32(w->b, (uint32_t)f->linedefined);
    lfs_buf_le32(w->b, (uint32_t)f->lastlinedefined);
    lfs_buf_le32(w->b, 0);                  /* gclist */
    lfs_buf_u8(w->b, f->nups);
    lfs_buf_u8(w->b, f->numparams);
    lfs_buf_u8(w->b, f->is_vararg);
    lfs_buf_u8(w->b, f->maxstacksize);
    return self;
}

static int put_strings(writer_t *w, const lfs_proto_t *index, uint32_t *nuse,
                       uint32_t *nsize)
{
    lfs_str_t *strs;
    int n;
    int rc = lfs51_strtab(w->m, index, &strs, &n);
    if (rc)
        return lfs_fail(w->d, -1, rc, "out of memory ordering strings");
    uint32_t size = 2;
    while (size <= (uint32_t)n)
        size <<= 1;                         /* 2 << floor(log2 n), §3.5 */
    uint32_t *head = calloc(size, sizeof *head);
    if (!head)
        return lfs_fail(w->d, -1, LFS_ENOMEM, "out of memory");
    size_t buckets = w->b->len;
    lfs_buf_zero(w->b, 4 * (size_t)size);
    for (int i = 0; i < n; i++) {
        uint32_t h = lfs51_hash(strs[i].data, strs[i].len);
        uint32_t b = h & (size - 1);
        uint32_t self = here(w);
        if (lfs_strmap_put(&w->str, strs[i], (int)self)) {
            free(head);
            return lfs_fail(w->d, -1, LFS_ENOMEM, "out of memory");
        }
        put_ref(w, head[b]);                /* next: the older head */
        head[b] = self;
        lfs_buf_u8(w->b, LFS51_TSTRING);
        lfs_buf_u8(w->b, LFS51_LFSBIT);
        lfs_buf_zero(w->b, 2);
        lfs_buf_le32(w->b, h);
        lfs_buf_le32(w->b, strs[i].len);
        lfs_buf_put(w->b, strs[i].data, strs[i].len);
        lfs_buf_u8(w->b, 0);
        lfs_buf_align(w->b, 4);
    }
    /* Fill the bucket vector now that every chain head is known. */
    for (uint32_t b = 0; b < size && !w->b->err; b++) {
        if (head[b]) {
            size_t save = w->b->len;
            w->b->len = buckets + 4 * b;
            put_ref(w, head[b]);
            w->b->len = save;
        }
    }
    free(head);
    *nuse = (uint32_t)n;
    *nsize = size;
    return 0;
}

int lfs51_write(const lfs_proto_t *index, const lfs51_opts_t *o,
                lfs_buf_t *out, lfs_diag_t *d)
{
    lfs_model_t m;
    writer_t w;
    uint32_t nuse = 0, nsize = 0;
    memset(&w, 0, sizeof w);
    lfs_model_init(&m);
    w.b = out;
    w.o = o;
    w.d = d;
    w.m = &m;
    lfs_strmap_init(&w.str, &m);
    size_t start = out->len;
    lfs_buf_zero(out, sizeof(lfs51_header_t));
    int rc = put_strings(&w, index, &nuse, &nsize);
    uint32_t main = rc ? 0 : put_proto(&w, index, 0);
    if (!rc)
        rc = w.err;
    if (!rc && out->err)
        rc = lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing the image");
    if (rc) {
        free(w.relocs);
        lfs_model_free(&m);
        return d->code ? d->code : lfs_fail(d, -1, rc, "out of memory");
    }
    uint32_t words = here(&w) - (uint32_t)(start / 4);
    uint32_t sig = o->integral ? LFS51_SIG_INT : LFS51_SIG_FLOAT;
    uint8_t *h = out->data + start;
    lfs_put_le32(h + 0x00, sig | (o->absolute ? LFS51_SIG_ABSOLUTE : 0));
    lfs_put_le32(h + 0x04, words * 4);
    lfs_put_le32(h + 0x08, main);
    lfs_put_le32(h + 0x0C, (uint32_t)sizeof(lfs51_header_t) / 4);
    lfs_put_le32(h + 0x10, nuse);
    lfs_put_le32(h + 0x14, nsize);
    /* The two header pointers are the image's only forward references. */
    size_t nreloc = w.nreloc;
    uint32_t hdr_words[2] = { 2, 3 };
    if (o->absolute) {
        for (size_t i = 0; i < nreloc; i++) {
            uint8_t *p = h + 4 * (size_t)w.relocs[i];
            lfs_put_le32(p, o->absolute + 4 * lfs_le32(p));
        }
        for (int i = 0; i < 2; i++) {
            uint8_t *p = h + 4 * hdr_words[i];
            lfs_put_le32(p, o->absolute + 4 * lfs_le32(p));
        }
    } else {
        uint32_t nbits = (words + 31) / 32;
        size_t bm = out->len;
        lfs_buf_zero(out, 4 * (size_t)nbits);
        if (!out->err) {
            h = out->data + start;
            for (size_t i = 0; i < nreloc; i++) {
                uint32_t v = w.relocs[i];
                uint8_t *p = out->data + bm + 4 * (v / 32);
                lfs_put_le32(p, lfs_le32(p) | 1u << (v % 32));
            }
            for (int i = 0; i < 2; i++) {
                uint8_t *p = out->data + bm + 4 * (hdr_words[i] / 32);
                lfs_put_le32(p, lfs_le32(p) | 1u << (hdr_words[i] % 32));
            }
        }
    }
    free(w.relocs);
    lfs_model_free(&m);
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing the image");
    return 0;
}
