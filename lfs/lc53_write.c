/*
** lc53_write.c: writes NodeMCU Lua 5.3 .lc files (format 10) from the
** model, and the encodings the .lc and the LFS image stream share: the
** header, MB-ints, TT-ints, packed line info and the function record.
** Field order mirrors lc53_read.c.
** Spec: docs/lfs53.md §3, §4.1, §4.2, §9, §10. Twin: lc53_read.c.
** May call: lfs_model, lfs_buf, libc.
*/
#include "lfs/lc53.h"

#include <stdio.h>
#include <string.h>

#include "lfs/lc53_func.h"

/* ---- shared encodings ------------------------------------------------- */

void lc53_write_header(lfs_buf_t *b, int format, int int64)
{
    const uint8_t head[12] = {
        0x1B, 'L', 'u', 'a', LC53_VERSION, (uint8_t)format,
        0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A
    };
    lfs_buf_put(b, head, sizeof head);
    lfs_buf_u8(b, 4);                       /* sizeof(int) */
    lfs_buf_u8(b, 4);                       /* sizeof(Instruction) */
    lfs_buf_u8(b, int64 ? 8 : 4);           /* sizeof(lua_Integer) */
    lfs_buf_u8(b, int64 ? 8 : 4);           /* sizeof(lua_Number) */
    lfs_buf_u8(b, LC53_TT_NUMFLT);
    if (int64) {
        double x = 370.5;
        uint64_t u;
        memcpy(&u, &x, sizeof u);
        lfs_buf_le64(b, u);
    } else {
        float x = 370.5f;
        uint32_t u;
        memcpy(&u, &x, sizeof u);
        lfs_buf_le32(b, u);
    }
}

void lc53_write_mbint(lfs_buf_t *b, uint64_t v)
{
    uint8_t tmp[10];
    int n = 0;
    do {
        tmp[n++] = (uint8_t)(v & 0x7F);
        v >>= 7;
    } while (v);
    while (n > 1)
        lfs_buf_u8(b, (uint8_t)(tmp[--n] | 0x80));
    lfs_buf_u8(b, tmp[0]);
}

void lc53_write_ttint(lfs_buf_t *b, int type, int64_t v)
{
    uint64_t x = (uint64_t)v;
    uint8_t tmp[11];
    int n = 0;
    if ((type == LC53_TT_PINT || type == LC53_TT_NINT) && v < 0) {
        type = LC53_TT_NINT;
        x = ~(uint64_t)v;           /* -(v + 1) without overflow */
    }
    do {
        tmp[n++] = (uint8_t)(x & 0x7F);
        x >>= 7;
    } while (x);
    if (tmp[n - 1] & LC53_TT_MASK)
        tmp[n++] = 0;               /* the first byte holds 4 bits only */
    tmp[n - 1] |= (uint8_t)type;
    while (n > 1)
        lfs_buf_u8(b, (uint8_t)(tmp[--n] | LC53_TT_MORE));
    lfs_buf_u8(b, tmp[0]);
}

/* Line delta prefix (§9): sign and 6 bits, then 7 bits per byte. */
static void put_delta(lfs_buf_t *out, int64_t d)
{
    uint64_t mag = d < 0 ? (uint64_t)-d : (uint64_t)(d - 2);
    lfs_buf_u8(out, (uint8_t)(0x80 | (d < 0 ? 0x40 : 0) | (mag & 0x3F)));
    for (mag >>= 6; mag; mag >>= 7)
        lfs_buf_u8(out, (uint8_t)(0x80 | (mag & 0x7F)));
}

void lc53_lines_pack(const int *lines, int n, lfs_buf_t *out)
{
    int64_t line = 0;
    int i = 0;
    if (n == 0)
        return;
    while (i < n) {
        int run = 1;
        while (i + run < n && lines[i + run] == lines[i])
            run++;
        int64_t d = (int64_t)lines[i] - line;
        if (d != 1)
            put_delta(out, d);
        for (;;) {
            int ic = run > 127 ? 127 : run;
            lfs_buf_u8(out, (uint8_t)ic);
            run -= ic;
            i += ic;
            if (!run)
                break;
            lfs_buf_u8(out, 0xC0);  /* same line, another count */
        }
        line = lines[i - 1];
    }
    lfs_buf_u8(out, 0);
}

/* ---- the function record (§4.2) ---------------------------------------- */

static void fail(lc53_fn_writer_t *w, int code, const char *msg)
{
    if (!w->err)
        w->err = lfs_fail(w->d, -1, code, "%s", msg);
}

static void put_constant(lc53_fn_writer_t *w, const lfs_const_t *k)
{
    int int64 = w->t->int64;
    switch (k->type) {
    case LFS_KNIL:
        lfs_buf_u8(w->b, LC53_TT_NIL);
        break;
    case LFS_KBOOL:
        lfs_buf_u8(w->b, (uint8_t)(LC53_TT_BOOLEAN | (k->b != 0)));
        break;
    case LFS_KNUM:
        if (!lc53_num_fits(k->n, int64)) {
            char msg[160];
            snprintf(msg, sizeof msg, "float constant %.17g is not exact in"
                     " the target's single-precision lua_Number", k->n);
            fail(w, LFS_ELIMIT, msg);
        }
        lfs_buf_u8(w->b, LC53_TT_NUMFLT);
        if (int64) {
            uint64_t u;
            memcpy(&u, &k->n, sizeof u);
            lfs_buf_le64(w->b, u);
        } else {
            float x = (float)k->n;
            uint32_t u;
            memcpy(&u, &x, sizeof u);
            lfs_buf_le32(w->b, u);
        }
        break;
    case LFS_KINT:
        if (!lc53_int_fits(k->i, int64)) {
            char msg[160];
            snprintf(msg, sizeof msg, "integer constant %lld does not fit"
                     " the target's 32-bit lua_Integer", (long long)k->i);
            fail(w, LFS_ELIMIT, msg);
        }
        lc53_write_ttint(w->b, LC53_TT_PINT, k->i);
        break;
    case LFS_KSTR:
        w->put_string(w, k->s);
        break;
    }
}

void lc53_write_function(lc53_fn_writer_t *w, const lfs_proto_t *f,
                         lfs_str_t parent)
{
    lfs_buf_t *b = w->b;
    w->put_string(w, lfs_str_eq(f->source, parent) ? (lfs_str_t){ NULL, 0 }
                                                    : f->source);
    lc53_write_mbint(b, (uint32_t)f->linedefined);
    lc53_write_mbint(b, (uint32_t)f->lastlinedefined);
    lfs_buf_u8(b, f->numparams);
    lfs_buf_u8(b, f->is_vararg);
    lfs_buf_u8(b, f->maxstacksize);
    lc53_write_mbint(b, (uint32_t)f->sizep);
    for (int i = 0; i < f->sizep; i++)
        lc53_write_function(w, f->p[i], f->source);
    lc53_write_mbint(b, (uint32_t)f->sizecode);
    for (int i = 0; i < f->sizecode; i++)
        lfs_buf_le32(b, f->code[i]);
    lc53_write_mbint(b, (uint32_t)f->sizek);
    for (int i = 0; i < f->sizek; i++)
        put_constant(w, &f->k[i]);
    int names = !w->t->strip;
    lfs_buf_u8(b, (uint8_t)names);
    lc53_write_mbint(b, (uint32_t)f->sizeupvalues);
    for (int i = 0; i < f->sizeupvalues; i++) {
        if (names)
            w->put_string(w, f->upvalues[i].name);
        lfs_buf_u8(b, f->upvalues[i].instack);
        lfs_buf_u8(b, f->upvalues[i].idx);
    }
    if (f->lineblob) {
        lc53_write_mbint(b, (uint32_t)f->sizelineblob);
        lfs_buf_put(b, f->lineblob, (size_t)f->sizelineblob);
    } else {
        lfs_buf_t blob;
        lfs_buf_init(&blob);
        lc53_lines_pack(f->lineinfo, f->sizelineinfo, &blob);
        if (blob.err)
            fail(w, LFS_ENOMEM, "out of memory");
        lc53_write_mbint(b, blob.len);
        lfs_buf_put(b, blob.data, blob.len);
        lfs_buf_free(&blob);
    }
    int nloc = w->t->strip ? 0 : f->sizelocvars;
    lc53_write_mbint(b, (uint32_t)nloc);
    for (int i = 0; i < nloc; i++) {
        w->put_string(w, f->locvars[i].varname);
        lc53_write_mbint(b, (uint32_t)f->locvars[i].startpc);
        lc53_write_mbint(b, (uint32_t)f->locvars[i].endpc);
    }
}

/* ---- the .lc file (§10) ------------------------------------------------ */

static void inline_string(lc53_fn_writer_t *w, lfs_str_t s)
{
    if (!s.data) {
        lfs_buf_u8(w->b, LC53_TT_SSTRING);
        return;
    }
    lc53_write_ttint(w->b, s.len <= LC53_MAXSHORTLEN ? LC53_TT_SSTRING
                                                     : LC53_TT_LSTRING,
                     (int64_t)s.len + 1);
    lfs_buf_put(w->b, s.data, s.len);
}

int lc53_write(const lfs_proto_t *f, const lc53_target_t *t, lfs_buf_t *out,
               lfs_diag_t *d)
{
    lc53_fn_writer_t w;
    memset(&w, 0, sizeof w);
    w.b = out;
    w.t = t;
    w.d = d;
    w.put_string = inline_string;
    lc53_write_header(out, LC53_FORMAT_LC, t->int64);
    lfs_buf_u8(out, (uint8_t)f->sizeupvalues);
    lc53_write_function(&w, f, (lfs_str_t){ NULL, 0 });
    if (w.err)
        return w.err;
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing bytecode");
    return 0;
}
