/*
** lc53_read.c: reads Lua 5.3 bytecode into the model: stock host dumps
** (lundump.c order) and NodeMCU .lc files (format 10); also the readers
** of the encodings the .lc and the LFS image stream share (lc53.h). Every
** count is checked against the bytes that remain before anything is
** allocated, and nesting is bounded, so hostile input cannot exhaust
** memory or the stack.
** Spec: docs/lfs53.md §3, §4.1, §4.2, §9, §10. Twin: lc53_write.c.
** May call: lfs_model, lfs_buf, libc.
*/
#include "lfs/lc53.h"

#include <limits.h>
#include <string.h>

#include "lfs/lc53_func.h"

static const uint8_t luac_data[6] = { 0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A };

/* ---- shared encodings ------------------------------------------------- */

uint64_t lc53_read_mbint(lfs_cur_t *c, uint64_t max, const char *what)
{
    size_t at = c->pos;
    uint64_t v = 0;
    for (;;) {
        uint8_t b = lfs_cur_u8(c, what);
        if (c->err)
            return 0;
        if (v >> 56) {
            c->pos = at;
            lfs_cur_bad(c, "%s has more than 63 bits", what);
            return 0;
        }
        v = v << 7 | (b & 0x7F);
        if (!(b & 0x80))
            break;
    }
    if (v > max) {
        c->pos = at;
        lfs_cur_bad(c, "%s %llu is impossible here (at most %llu); the"
                    " file is corrupt", what, (unsigned long long)v,
                    (unsigned long long)max);
        return 0;
    }
    return v;
}

int64_t lc53_read_ttint(lfs_cur_t *c, int *type, const char *what)
{
    size_t at = c->pos;
    uint8_t b = lfs_cur_u8(c, what);
    uint64_t v = b & 0x0F;
    *type = b & LC53_TT_MASK;
    if (c->err)
        return 0;
    while (b & LC53_TT_MORE) {
        b = lfs_cur_u8(c, what);
        if (c->err)
            return 0;
        if (v >> 56) {
            c->pos = at;
            lfs_cur_bad(c, "%s has more than 63 bits", what);
            return 0;
        }
        v = v << 7 | (b & 0x7F);
    }
    if (*type == LC53_TT_NINT)
        return -(int64_t)v - 1;
    return (int64_t)v;
}

int lc53_int_fits(int64_t v, int int64)
{
    return int64 || (v >= INT32_MIN && v <= INT32_MAX);
}

int lc53_num_fits(double v, int int64)
{
    return int64 || v != v || (double)(float)v == v;
}

static double get_number(lfs_cur_t *c, int size, const char *what)
{
    if (size == 4) {
        uint32_t u = lfs_cur_le32(c, what);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    uint64_t u = lfs_cur_le64(c, what);
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

int lc53_read_header(lfs_cur_t *c, int format, lc53_info_t *info)
{
    memset(info, 0, sizeof *info);
    const uint8_t *h = lfs_cur_take(c, sizeof(lc53_header_t), "header");
    if (!h)
        return c->err;
    c->pos = 0;
    if (memcmp(h, "\033Lua", 4) != 0)
        return lfs_cur_bad(c, "not a Lua bytecode file or image (no"
                           " \\033Lua signature)");
    c->pos = 4;
    if (h[4] != LC53_VERSION)
        return lfs_cur_bad(c, "version 0x%02x, not Lua 5.3 (0x53)", h[4]);
    c->pos = 5;
    if (h[5] != LC53_FORMAT_LC && h[5] != LC53_FORMAT_LFS)
        return lfs_cur_bad(c, "format %d is neither a NodeMCU .lc (10) nor"
                           " an LFS image (11)%s", h[5], h[5] == 0 ?
                           "; this is stock Lua bytecode" : "");
    if (format && h[5] != format)
        return lfs_cur_bad(c, "format %d: this is %s, not %s", h[5],
                           h[5] == LC53_FORMAT_LC ? "a .lc file"
                                                  : "an LFS image",
                           format == LC53_FORMAT_LC ? "a .lc file"
                                                    : "an LFS image");
    c->pos = 6;
    if (memcmp(h + 6, luac_data, 6) != 0)
        return lfs_cur_bad(c, "corrupted header check bytes (text-mode"
                           " transfer?)");
    c->pos = 12;
    if (h[12] != 4 || h[13] != 4)
        return lfs_cur_bad(c, "int/Instruction sizes %d/%d, not 4/4",
                           h[12], h[13]);
    c->pos = 14;
    if (!((h[14] == 4 && h[15] == 4) || (h[14] == 8 && h[15] == 8)))
        return lfs_cur_bad(c, "lua_Integer/lua_Number sizes %d/%d; NodeMCU"
                           " 5.3 builds use 4/4 (int32, float) or 8/8",
                           h[14], h[15]);
    c->pos = 16;
    if (h[16] != LC53_TT_NUMFLT)
        return lfs_cur_bad(c, "float check type byte 0x%02x, not 0x20",
                           h[16]);
    c->pos = 17;
    double chk = get_number(c, h[15], "float check");
    if (c->err)
        return c->err;
    if (chk != 370.5) {
        c->pos = 17;
        return lfs_cur_bad(c, "float format mismatch (370.5 reads as %g)",
                           chk);
    }
    info->format = h[5];
    info->sizeof_integer = h[14];
    info->sizeof_number = h[15];
    info->header_size = c->pos;
    return 0;
}

int lc53_lines_unpack(const uint8_t *blob, size_t len, int *lines, int max)
{
    int64_t line = 0;
    int n = 0;
    size_t i = 0;
    if (len == 0 || blob[len - 1] != 0)
        return -1;
    while (blob[i] != 0) {
        if (blob[i] & 0x80) {
            int neg = blob[i] & 0x40;
            uint64_t mag = blob[i] & 0x3F;
            int shift = 6;
            for (i++; blob[i] & 0x80; i++, shift += 7) {
                if (shift > 40)
                    return -1;
                mag |= (uint64_t)(blob[i] & 0x7F) << shift;
            }
            line += neg ? -(int64_t)mag : (int64_t)mag + 2;
        } else {
            line += 1;
        }
        if (line < INT_MIN || line > INT_MAX || blob[i] == 0)
            return -1;
        int ic = blob[i++];
        if (ic > max - n)
            return -1;
        for (int k = 0; k < ic; k++)
            lines[n++] = (int)line;
    }
    return i == len - 1 ? n : -1;
}

/* ---- the function record, NodeMCU order (§4.2) ------------------------ */

static int nomem(lfs_cur_t *c)
{
    if (!c->err)
        c->err = lfs_fail(c->d, (long)c->pos, LFS_ENOMEM,
                          "out of memory reading bytecode");
    return c->err;
}

/* A count of elements of at least `min` bytes each; bounded by the rest. */
static int get_count(lfs_cur_t *c, size_t min, const char *what)
{
    return (int)lc53_read_mbint(c, (c->n - c->pos) / min, what);
}

static void *alloc_vec(lfs_cur_t *c, lfs_model_t *m, size_t elem, int n)
{
    void *p = lfs_model_alloc(m, elem * (size_t)n);
    if (!p && n)
        nomem(c);
    return p;
}

static void get_constant(lc53_fn_reader_t *r, lfs_proto_t *f, int i)
{
    lfs_cur_t *c = r->c;
    lfs_const_t *k = &f->k[i];
    size_t at = c->pos;
    uint8_t b = lfs_cur_u8(c, "constant type");
    if (c->err)
        return;
    switch (b & LC53_TT_MASK) {
    case LC53_TT_NIL:
        k->type = LFS_KNIL;
        if (b != 0)
            break;
        return;
    case LC53_TT_BOOLEAN:
        k->type = LFS_KBOOL;
        k->b = b & 1;
        if (b != 0x10 && b != 0x11)
            break;
        return;
    case LC53_TT_NUMFLT:
        k->type = LFS_KNUM;
        k->n = get_number(c, r->int64 ? 8 : 4, "float constant");
        if (b != LC53_TT_NUMFLT)
            break;
        return;
    case LC53_TT_PINT:
    case LC53_TT_NINT: {
        int type;
        c->pos = at;
        k->type = LFS_KINT;
        k->i = lc53_read_ttint(c, &type, "integer constant");
        if (!c->err && !lc53_int_fits(k->i, r->int64)) {
            c->pos = at;
            lfs_cur_bad(c, "integer constant %lld does not fit the 4-byte"
                        " lua_Integer of this file", (long long)k->i);
        }
        return;
    }
    default:
        c->pos = at;
        k->type = LFS_KSTR;
        r->get_string(r, &k->s, "string constant");
        if (!c->err && !k->s.data) {
            c->pos = at;
            lfs_cur_bad(c, "string constant %d is NULL", i);
        }
        return;
    }
    c->pos = at;
    lfs_cur_bad(c, "constant %d has the bad type byte 0x%02x", i, b);
}

lfs_proto_t *lc53_read_function(lc53_fn_reader_t *r, lfs_str_t parent,
                                int depth)
{
    lfs_cur_t *c = r->c;
    lfs_proto_t *f = lfs_model_proto(r->m);
    if (!f) {
        nomem(c);
        return NULL;
    }
    if (depth > LC53_MAXDEPTH) {
        lfs_cur_bad(c, "functions nested more than %d deep", LC53_MAXDEPTH);
        return NULL;
    }
    r->get_string(r, &f->source, "source name");
    if (!f->source.data)
        f->source = parent;
    f->linedefined = (int)lc53_read_mbint(c, INT_MAX, "linedefined");
    f->lastlinedefined = (int)lc53_read_mbint(c, INT_MAX,
                                              "lastlinedefined");
    f->numparams = lfs_cur_u8(c, "numparams");
    f->is_vararg = lfs_cur_u8(c, "is_vararg");
    f->maxstacksize = lfs_cur_u8(c, "maxstacksize");
    f->sizep = get_count(c, 8, "function count");
    if (c->err)
        return NULL;
    f->p = alloc_vec(c, r->m, sizeof *f->p, f->sizep);
    for (int i = 0; i < f->sizep && !c->err; i++)
        f->p[i] = lc53_read_function(r, f->source, depth + 1);
    f->sizecode = get_count(c, 4, "instruction count");
    const uint8_t *code = lfs_cur_take(c, 4 * (size_t)f->sizecode, "code");
    if (c->err)
        return NULL;
    if (f->sizecode == 0) {
        lfs_cur_bad(c, "function has no instructions");
        return NULL;
    }
    f->code = alloc_vec(c, r->m, 4, f->sizecode);
    if (!f->code)
        return NULL;
    for (int i = 0; i < f->sizecode; i++)
        f->code[i] = lfs_le32(code + 4 * i);
    f->sizek = get_count(c, 1, "constant count");
    f->k = alloc_vec(c, r->m, sizeof *f->k, f->sizek);
    for (int i = 0; i < f->sizek && !c->err; i++)
        get_constant(r, f, i);
    size_t at = c->pos;
    int hasnames = lfs_cur_u8(c, "hasnames");
    if (!c->err && hasnames > 1) {
        c->pos = at;
        lfs_cur_bad(c, "hasnames byte is %d, not 0 or 1", hasnames);
    }
    r->names_seen |= 1 << (hasnames & 1);
    r->nfunctions++;
    size_t left = (c->n - c->pos) / 2;
    f->sizeupvalues = (int)lc53_read_mbint(c, left < 255 ? left : 255,
                                           "upvalue count");
    f->nups = (uint8_t)f->sizeupvalues;
    f->upvalues = alloc_vec(c, r->m, sizeof *f->upvalues, f->sizeupvalues);
    for (int i = 0; i < f->sizeupvalues && !c->err; i++) {
        if (hasnames)
            r->get_string(r, &f->upvalues[i].name, "upvalue name");
        f->upvalues[i].instack = lfs_cur_u8(c, "upvalue instack");
        f->upvalues[i].idx = lfs_cur_u8(c, "upvalue idx");
    }
    int blen = get_count(c, 1, "line info size");
    const uint8_t *blob = lfs_cur_take(c, (size_t)blen, "line info");
    if (c->err)
        return NULL;
    if (blen) {
        f->lineinfo = alloc_vec(c, r->m, sizeof(int), f->sizecode);
        uint8_t *copy = alloc_vec(c, r->m, 1, blen);
        if (!f->lineinfo || !copy)
            return NULL;
        memcpy(copy, blob, (size_t)blen);
        if (lc53_lines_unpack(blob, (size_t)blen, f->lineinfo, f->sizecode)
            != f->sizecode) {
            c->pos -= (size_t)blen;
            lfs_cur_bad(c, "packed line info does not describe the"
                        " function's %d instructions", f->sizecode);
            return NULL;
        }
        f->sizelineinfo = f->sizecode;
        f->lineblob = copy;
        f->sizelineblob = blen;
    }
    f->sizelocvars = get_count(c, 3, "local variable count");
    f->locvars = alloc_vec(c, r->m, sizeof *f->locvars, f->sizelocvars);
    for (int i = 0; i < f->sizelocvars && !c->err; i++) {
        r->get_string(r, &f->locvars[i].varname, "local name");
        f->locvars[i].startpc = (int)lc53_read_mbint(c, INT_MAX,
                                                     "local startpc");
        f->locvars[i].endpc = (int)lc53_read_mbint(c, INT_MAX,
                                                   "local endpc");
    }
    return c->err ? NULL : f;
}

/* Inline strings (§3.3): N = 0 is NULL, else N - 1 bytes follow. */
static void inline_string(lc53_fn_reader_t *r, lfs_str_t *s,
                          const char *what)
{
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
        lfs_cur_bad(c, "%s has type byte 0x%02x, not a string", what,
                    c->p[at]);
        return;
    }
    if (v == 0) {
        if (type != LC53_TT_SSTRING) {
            c->pos = at;
            lfs_cur_bad(c, "%s: a NULL string is written 0x50", what);
        }
        return;
    }
    if ((uint64_t)v - 1 > c->n - c->pos || v - 1 > UINT32_MAX - 1) {
        lfs_cur_bad(c, "%s of %lld bytes runs past the end of the file",
                    what, (long long)v - 1);
        return;
    }
    if ((v - 1 <= LC53_MAXSHORTLEN) != (type == LC53_TT_SSTRING)) {
        c->pos = at;
        lfs_cur_bad(c, "%s of %lld bytes is marked %s", what,
                    (long long)v - 1, type == LC53_TT_SSTRING ? "short"
                                                              : "long");
        return;
    }
    const uint8_t *p = lfs_cur_take(c, (size_t)(v - 1), what);
    if (p && lfs_model_str(r->m, p, (uint32_t)(v - 1), s))
        nomem(c);
}

/* ---- stock host dumps (lundump.c order) -------------------------------- */

typedef struct stock {
    lfs_cur_t c;
    lfs_model_t *m;
    lc53_info_t info;
} stock_t;

static int32_t st_int(stock_t *s, const char *what)
{
    return (int32_t)lfs_cur_le32(&s->c, what);
}

static int st_count(stock_t *s, size_t min, const char *what)
{
    size_t at = s->c.pos;
    int32_t n = st_int(s, what);
    if (s->c.err)
        return 0;
    if (n < 0 || (size_t)n > (s->c.n - s->c.pos) / min) {
        s->c.pos = at;
        lfs_cur_bad(&s->c, "%s %d is impossible for the %zu bytes left;"
                    " the file is corrupt or not Lua 5.3 bytecode", what,
                    (int)n, s->c.n - s->c.pos - 4);
        return 0;
    }
    return n;
}

static void st_string(stock_t *s, lfs_str_t *out, const char *what)
{
    uint64_t n = lfs_cur_u8(&s->c, what);
    out->data = NULL;
    out->len = 0;
    if (n == 0xFF)
        n = s->info.sizeof_size_t == 8 ? lfs_cur_le64(&s->c, what)
                                       : lfs_cur_le32(&s->c, what);
    if (s->c.err || n == 0)
        return;
    if (n - 1 > s->c.n - s->c.pos || n - 1 > UINT32_MAX - 1) {
        lfs_cur_bad(&s->c, "%s of %llu bytes runs past the end of the"
                    " file", what, (unsigned long long)n - 1);
        return;
    }
    const uint8_t *p = lfs_cur_take(&s->c, (size_t)(n - 1), what);
    if (p && lfs_model_str(s->m, p, (uint32_t)(n - 1), out))
        nomem(&s->c);
}

static void *st_vec(stock_t *s, size_t elem, int n)
{
    return alloc_vec(&s->c, s->m, elem, n);
}

static void st_constants(stock_t *s, lfs_proto_t *f)
{
    f->sizek = st_count(s, 1, "constant count");
    f->k = st_vec(s, sizeof *f->k, f->sizek);
    for (int i = 0; i < f->sizek && !s->c.err; i++) {
        lfs_const_t *k = &f->k[i];
        size_t at = s->c.pos;
        int t = lfs_cur_u8(&s->c, "constant type");
        switch (t) {
        case 0x00:
            k->type = LFS_KNIL;
            break;
        case 0x01:
            k->type = LFS_KBOOL;
            k->b = lfs_cur_u8(&s->c, "boolean") != 0;
            break;
        case 0x03:
            k->type = LFS_KNUM;
            k->n = get_number(&s->c, s->info.sizeof_number, "float");
            break;
        case 0x13:
            k->type = LFS_KINT;
            k->i = s->info.sizeof_integer == 8
                   ? (int64_t)lfs_cur_le64(&s->c, "integer")
                   : (int32_t)lfs_cur_le32(&s->c, "integer");
            break;
        case 0x04:
        case 0x14:
            k->type = LFS_KSTR;
            st_string(s, &k->s, "string constant");
            if (!s->c.err && !k->s.data)
                lfs_cur_bad(&s->c, "string constant %d is NULL", i);
            break;
        default:
            s->c.pos = at;
            lfs_cur_bad(&s->c, "constant %d has type 0x%02x; Lua 5.3"
                        " constants are nil, boolean, number or string",
                        i, t);
        }
    }
}

static lfs_proto_t *st_function(stock_t *s, lfs_str_t parent, int depth)
{
    lfs_cur_t *c = &s->c;
    lfs_proto_t *f = lfs_model_proto(s->m);
    if (!f) {
        nomem(c);
        return NULL;
    }
    if (depth > LC53_MAXDEPTH) {
        lfs_cur_bad(c, "functions nested more than %d deep", LC53_MAXDEPTH);
        return NULL;
    }
    st_string(s, &f->source, "source name");
    if (!f->source.data)
        f->source = parent;
    f->linedefined = st_int(s, "linedefined");
    f->lastlinedefined = st_int(s, "lastlinedefined");
    f->numparams = lfs_cur_u8(c, "numparams");
    f->is_vararg = lfs_cur_u8(c, "is_vararg");
    f->maxstacksize = lfs_cur_u8(c, "maxstacksize");
    f->sizecode = st_count(s, 4, "instruction count");
    const uint8_t *code = lfs_cur_take(c, 4 * (size_t)f->sizecode, "code");
    if (c->err)
        return NULL;
    if (f->sizecode == 0) {
        lfs_cur_bad(c, "function has no instructions");
        return NULL;
    }
    f->code = st_vec(s, 4, f->sizecode);
    if (!f->code)
        return NULL;
    for (int i = 0; i < f->sizecode; i++)
        f->code[i] = lfs_le32(code + 4 * i);
    st_constants(s, f);
    f->sizeupvalues = st_count(s, 2, "upvalue count");
    if (!c->err && f->sizeupvalues > 255)
        lfs_cur_bad(c, "%d upvalues; Lua allows 255", f->sizeupvalues);
    f->nups = (uint8_t)f->sizeupvalues;
    f->upvalues = st_vec(s, sizeof *f->upvalues, f->sizeupvalues);
    for (int i = 0; i < f->sizeupvalues && !c->err; i++) {
        f->upvalues[i].instack = lfs_cur_u8(c, "upvalue instack");
        f->upvalues[i].idx = lfs_cur_u8(c, "upvalue idx");
    }
    f->sizep = st_count(s, 1, "function count");
    f->p = st_vec(s, sizeof *f->p, f->sizep);
    for (int i = 0; i < f->sizep && !c->err; i++)
        f->p[i] = st_function(s, f->source, depth + 1);
    if (c->err)
        return NULL;
    f->sizelineinfo = st_count(s, 4, "line info count");
    if (!c->err && f->sizelineinfo != 0 && f->sizelineinfo != f->sizecode)
        lfs_cur_bad(c, "%d line-info entries for %d instructions",
                    f->sizelineinfo, f->sizecode);
    f->lineinfo = st_vec(s, sizeof(int), f->sizelineinfo);
    for (int i = 0; i < f->sizelineinfo && !c->err; i++)
        f->lineinfo[i] = st_int(s, "line info");
    f->sizelocvars = st_count(s, 9, "local variable count");
    f->locvars = st_vec(s, sizeof *f->locvars, f->sizelocvars);
    for (int i = 0; i < f->sizelocvars && !c->err; i++) {
        st_string(s, &f->locvars[i].varname, "local name");
        f->locvars[i].startpc = st_int(s, "local startpc");
        f->locvars[i].endpc = st_int(s, "local endpc");
    }
    int nnames = st_count(s, 1, "upvalue name count");
    if (!c->err && nnames != 0 && nnames != f->sizeupvalues)
        lfs_cur_bad(c, "%d upvalue names for %d upvalues", nnames,
                    f->sizeupvalues);
    for (int i = 0; i < nnames && !c->err; i++)
        st_string(s, &f->upvalues[i].name, "upvalue name");
    return c->err ? NULL : f;
}

static int st_header(stock_t *s)
{
    lfs_cur_t *c = &s->c;
    const uint8_t *h = lfs_cur_take(c, 17, "bytecode header");
    if (!h)
        return c->err;
    c->pos = 0;
    if (memcmp(h, "\033Lua", 4) != 0)
        return lfs_cur_bad(c, "not a Lua bytecode file (no \\033Lua"
                           " signature)");
    c->pos = 4;
    if (h[4] != LC53_VERSION)
        return lfs_cur_bad(c, "bytecode version 0x%02x, not Lua 5.3 (0x53)",
                           h[4]);
    c->pos = 5;
    if (h[5] != 0)
        return lfs_cur_bad(c, "bytecode format %d, not 0 (official)", h[5]);
    c->pos = 6;
    if (memcmp(h + 6, luac_data, 6) != 0)
        return lfs_cur_bad(c, "corrupted header check bytes");
    c->pos = 12;
    if (h[12] != 4 || (h[13] != 4 && h[13] != 8) || h[14] != 4 ||
        (h[15] != 4 && h[15] != 8) || (h[16] != 4 && h[16] != 8))
        return lfs_cur_bad(c, "bytecode for int/size_t/Instruction/"
                           "lua_Integer/lua_Number sizes %d/%d/%d/%d/%d;"
                           " expected 4/4-or-8/4/4-or-8/4-or-8", h[12],
                           h[13], h[14], h[15], h[16]);
    s->info.sizeof_size_t = h[13];
    s->info.sizeof_integer = h[15];
    s->info.sizeof_number = h[16];
    c->pos = 17;
    uint64_t chk = s->info.sizeof_integer == 8 ? lfs_cur_le64(c, "LUAC_INT")
                                               : lfs_cur_le32(c, "LUAC_INT");
    if (!c->err && chk != 0x5678) {
        c->pos = 17;
        return lfs_cur_bad(c, "endianness mismatch (LUAC_INT reads 0x%llx);"
                           " only little-endian bytecode is supported",
                           (unsigned long long)chk);
    }
    size_t at = c->pos;
    double num = get_number(c, s->info.sizeof_number, "LUAC_NUM");
    if (!c->err && num != 370.5) {
        c->pos = at;
        return lfs_cur_bad(c, "float format mismatch (LUAC_NUM reads %g)",
                           num);
    }
    s->info.header_size = c->pos;
    return c->err;
}

int lc53_read(const uint8_t *p, size_t n, lc53_flavour_t fl, lfs_model_t *m,
              lfs_diag_t *d, lc53_info_t *info, lfs_proto_t **out)
{
    lfs_str_t none = { NULL, 0 };
    lfs_proto_t *f;
    lfs_cur_t *c;
    stock_t s;
    lc53_fn_reader_t r;
    int nups;
    memset(&s, 0, sizeof s);
    lfs_cur_init(&s.c, p, n, d);
    s.m = m;
    c = &s.c;
    *out = NULL;
    if (fl == LC53_STOCK) {
        if (st_header(&s))
            return c->err;
        nups = lfs_cur_u8(c, "upvalue count of main");
        f = st_function(&s, none, 0);
    } else {
        if (lc53_read_header(c, LC53_FORMAT_LC, &s.info))
            return c->err;
        nups = lfs_cur_u8(c, "upvalue count of main");
        memset(&r, 0, sizeof r);
        r.c = c;
        r.m = m;
        r.int64 = s.info.sizeof_integer == 8;
        r.get_string = inline_string;
        f = lc53_read_function(&r, none, 0);
    }
    if (c->err)
        return c->err;
    if (nups != f->sizeupvalues)
        return lfs_fail(d, (long)s.info.header_size, LFS_EFORMAT,
                        "the header says the main function has %d"
                        " upvalues, the function has %d", nups,
                        f->sizeupvalues);
    if (c->pos != n)
        return lfs_cur_bad(c, "%zu bytes of garbage after the main"
                           " function", n - c->pos);
    if (info)
        *info = s.info;
    *out = f;
    return 0;
}
