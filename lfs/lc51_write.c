/*
** lc51_write.c: writes Lua 5.1 bytecode files, stock or NodeMCU flavour,
** from the model (layout in lc51.h). Field order mirrors lc51_read.c.
** Twin: lc51_read.c. May call: lfs_model, lfs_buf, lfs51_lines, libc.
*/
#include "lfs/lc51.h"

#include <math.h>
#include <string.h>

#include "lfs/lfs51_lines.h"

const lc51_target_t lc51_nodemcu_float = { LC51_NODEMCU, 4, 0, 0 };
const lc51_target_t lc51_nodemcu_int = { LC51_NODEMCU, 4, 1, 0 };

typedef struct writer {
    lfs_buf_t *b;
    const lc51_target_t *t;
    lfs_diag_t *d;
    int err;
} writer_t;

static void put_size(writer_t *w, uint64_t n)
{
    if (w->t->sizeof_size_t == 8)
        lfs_buf_le64(w->b, n);
    else
        lfs_buf_le32(w->b, (uint32_t)n);
}

static void put_string(writer_t *w, lfs_str_t s)
{
    if (!s.data) {
        put_size(w, 0);
        return;
    }
    put_size(w, (uint64_t)s.len + 1);
    lfs_buf_put(w->b, s.data, s.len);
    lfs_buf_u8(w->b, 0);
}

static void put_align(writer_t *w)
{
    if (w->t->flavour == LC51_NODEMCU)
        lfs_buf_align(w->b, 4);
}

static void put_number(writer_t *w, const lfs_const_t *k)
{
    if (!w->t->integral) {
        double v = k->type == LFS_KINT ? (double)k->i : k->n;
        uint64_t u;
        memcpy(&u, &v, sizeof u);
        lfs_buf_le64(w->b, u);
        return;
    }
    if (k->type == LFS_KNUM && (k->n != floor(k->n) || k->n < INT32_MIN ||
                                k->n > INT32_MAX)) {
        if (!w->err)
            w->err = lfs_fail(w->d, -1, LFS_ELIMIT, "constant %.17g is not"
                              " an int32; the integer build holds only"
                              " whole numbers", k->n);
        return;
    }
    if (k->type == LFS_KINT && (k->i < INT32_MIN || k->i > INT32_MAX)) {
        if (!w->err)
            w->err = lfs_fail(w->d, -1, LFS_ELIMIT, "constant %lld is outside"
                              " int32", (long long)k->i);
        return;
    }
    lfs_buf_le32(w->b, (uint32_t)(int32_t)(k->type == LFS_KINT ? k->i
                                                               : k->n));
}

static void put_function(writer_t *w, const lfs_proto_t *f, lfs_str_t parent)
{
    int strip = w->t->strip;
    put_string(w, strip || lfs_str_eq(f->source, parent)
                  ? (lfs_str_t){ NULL, 0 } : f->source);
    lfs_buf_le32(w->b, (uint32_t)f->linedefined);
    lfs_buf_le32(w->b, (uint32_t)f->lastlinedefined);
    lfs_buf_u8(w->b, f->nups);
    lfs_buf_u8(w->b, f->numparams);
    lfs_buf_u8(w->b, f->is_vararg);
    lfs_buf_u8(w->b, f->maxstacksize);
    lfs_buf_le32(w->b, (uint32_t)f->sizecode);
    put_align(w);
    for (int i = 0; i < f->sizecode; i++)
        lfs_buf_le32(w->b, f->code[i]);
    lfs_buf_le32(w->b, (uint32_t)f->sizek);
    for (int i = 0; i < f->sizek; i++) {
        const lfs_const_t *k = &f->k[i];
        switch (k->type) {
        case LFS_KNIL:
            lfs_buf_u8(w->b, 0);
            break;
        case LFS_KBOOL:
            lfs_buf_u8(w->b, 1);
            lfs_buf_u8(w->b, (uint8_t)k->b);
            break;
        case LFS_KNUM:
        case LFS_KINT:
            lfs_buf_u8(w->b, 3);
            put_number(w, k);
            break;
        case LFS_KSTR:
            lfs_buf_u8(w->b, 4);
            put_string(w, k->s);
            break;
        }
    }
    lfs_buf_le32(w->b, (uint32_t)f->sizep);
    for (int i = 0; i < f->sizep; i++)
        put_function(w, f->p[i], f->source);
    /* Debug information. */
    int lines = strip ? 0 : f->sizelineinfo;
    if (w->t->flavour == LC51_STOCK) {
        lfs_buf_le32(w->b, (uint32_t)lines);
        for (int i = 0; i < lines; i++)
            lfs_buf_le32(w->b, (uint32_t)f->lineinfo[i]);
    } else {
        lfs_buf_t blob;
        lfs_buf_init(&blob);
        if (lines) {
            lfs51_lines_pack(f->lineinfo, f->linefix, lines, &blob);
            lfs_buf_u8(&blob, 0);
        }
        if (blob.err && !w->err)
            w->err = lfs_fail(w->d, -1, LFS_ENOMEM, "out of memory");
        lfs_buf_le32(w->b, (uint32_t)blob.len);
        put_align(w);
        lfs_buf_put(w->b, blob.data, blob.len);
        lfs_buf_free(&blob);
    }
    int nloc = strip ? 0 : f->sizelocvars;
    lfs_buf_le32(w->b, (uint32_t)nloc);
    for (int i = 0; i < nloc; i++) {
        put_string(w, f->locvars[i].varname);
        lfs_buf_le32(w->b, (uint32_t)f->locvars[i].startpc);
        lfs_buf_le32(w->b, (uint32_t)f->locvars[i].endpc);
    }
    int nup = strip ? 0 : f->sizeupvalues;
    lfs_buf_le32(w->b, (uint32_t)nup);
    for (int i = 0; i < nup; i++)
        put_string(w, f->upvalues[i].name);
}

int lc51_write(const lfs_proto_t *f, const lc51_target_t *t, lfs_buf_t *out,
               lfs_diag_t *d)
{
    writer_t w = { out, t, d, 0 };
    const uint8_t hdr[12] = {
        0x1B, 'L', 'u', 'a', 0x51, 0, 1, 4, (uint8_t)t->sizeof_size_t, 4,
        (uint8_t)(t->integral ? 4 : 8), (uint8_t)(t->integral ? 1 : 0)
    };
    lfs_buf_put(out, hdr, sizeof hdr);
    put_function(&w, f, (lfs_str_t){ NULL, 0 });
    if (w.err)
        return w.err;
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing bytecode");
    return 0;
}
