/*
** lc51_write.c: writes Lua 5.1 bytecode files, stock or NodeMCU flavour,
** from the model (layout in lc51.h). lc51_walk writes the fields in
** lc51_read.c's order; the accessors here hand it the model's parts,
** stripped and converted to the target's numbers and line info.
** Twin: lc51_read.c. May call: lc51_walk, lfs_model, lfs_buf, lfs51_lines,
** libc.
*/
#include "lfs/lc51.h"

#include <math.h>

#include "lfs/lfs51_lines.h"

const lc51_target_t lc51_nodemcu_float = { LC51_NODEMCU, 4, 0, 0 };
const lc51_target_t lc51_nodemcu_int = { LC51_NODEMCU, 4, 1, 0 };

typedef struct writer {
    lfs_buf_t *b;
    const lc51_target_t *t;
    lfs_diag_t *d;
    lfs_buf_t lines;        /* the line info being written */
} writer_t;

static lc51_str_t str(lfs_str_t s)
{
    return (lc51_str_t){ s.data, s.len };
}

static void q_func(void *ud, const void *parent, const void *fp,
                   lc51_shape_t *s)
{
    const writer_t *w = ud;
    const lfs_proto_t *f = fp;
    lfs_str_t none = { NULL, 0 };
    lfs_str_t psource = parent ? ((const lfs_proto_t *)parent)->source
                               : none;
    int strip = w->t->strip;
    s->head.source = str(strip || lfs_str_eq(f->source, psource) ? none
                                                                 : f->source);
    LC51_COPY_FIXED(&s->head, f);
    LC51_COPY_SIZES(s, f);
    s->code = f->code;
    if (strip)
        s->sizelocvars = s->sizeupvalues = 0;
}

static int q_constant(void *ud, const void *fp, int32_t i, lc51_const_t *c)
{
    const writer_t *w = ud;
    const lfs_const_t *k = &((const lfs_proto_t *)fp)->k[i];
    switch (k->type) {
    case LFS_KNIL:
        c->type = LC51_TNIL;
        break;
    case LFS_KBOOL:
        c->type = LC51_TBOOLEAN;
        c->b = (uint8_t)k->b;
        break;
    case LFS_KNUM:
    case LFS_KINT:
        c->type = LC51_TNUMBER;
        if (!w->t->integral) {
            c->n = k->type == LFS_KINT ? (double)k->i : k->n;
            break;
        }
        if (k->type == LFS_KNUM && (k->n != floor(k->n) ||
                                    k->n < INT32_MIN || k->n > INT32_MAX))
            return lfs_fail(w->d, -1, LFS_ELIMIT, "constant %.17g is not"
                            " an int32; the integer build holds only whole"
                            " numbers", k->n);
        if (k->type == LFS_KINT && (k->i < INT32_MIN || k->i > INT32_MAX))
            return lfs_fail(w->d, -1, LFS_ELIMIT, "constant %lld is outside"
                            " int32", (long long)k->i);
        c->i = (int32_t)(k->type == LFS_KINT ? k->i : k->n);
        break;
    case LFS_KSTR:
        c->type = LC51_TSTRING;
        c->s = str(k->s);
        break;
    }
    return 0;
}

static const void *q_child(void *ud, const void *fp, int32_t i)
{
    (void)ud;
    return ((const lfs_proto_t *)fp)->p[i];
}

/* Stock: one le32 per instruction; NodeMCU: the packed bytes and NUL. */
static int q_lines(void *ud, const void *fp, const uint8_t **p, int32_t *n)
{
    writer_t *w = ud;
    const lfs_proto_t *f = fp;
    int lines = w->t->strip ? 0 : f->sizelineinfo;
    w->lines.len = 0;
    if (w->t->flavour == LC51_STOCK) {
        for (int i = 0; i < lines; i++)
            lfs_buf_le32(&w->lines, (uint32_t)f->lineinfo[i]);
        *n = lines;
    } else {
        if (lines) {
            lfs51_lines_pack(f->lineinfo, f->linefix, lines, &w->lines);
            lfs_buf_u8(&w->lines, 0);
        }
        *n = (int32_t)w->lines.len;
    }
    *p = w->lines.data;
    if (w->lines.err)
        return lfs_fail(w->d, -1, LFS_ENOMEM, "out of memory");
    return 0;
}

static void q_local(void *ud, const void *fp, int32_t i, lc51_local_t *lv)
{
    const lfs_locvar_t *l = &((const lfs_proto_t *)fp)->locvars[i];
    (void)ud;
    lv->name = str(l->varname);
    lv->startpc = l->startpc;
    lv->endpc = l->endpc;
}

static lc51_str_t q_upvalue(void *ud, const void *fp, int32_t i)
{
    (void)ud;
    return str(((const lfs_proto_t *)fp)->upvalues[i].name);
}

/* The output buffer keeps its own sticky error. */
static int q_put(void *ud, const void *p, size_t n)
{
    lfs_buf_put(((writer_t *)ud)->b, p, n);
    return 0;
}

static const lc51_query_t query = {
    q_func, q_constant, q_child, q_lines, q_local, q_upvalue, q_put
};

int lc51_write(const lfs_proto_t *f, const lc51_target_t *t, lfs_buf_t *out,
               lfs_diag_t *d)
{
    writer_t w;
    w.b = out;
    w.t = t;
    w.d = d;
    lfs_buf_init(&w.lines);
    int rc = lc51_walk_write(&query, &w, t->flavour, (uint8_t)t->sizeof_size_t,
                             (uint8_t)t->integral, f);
    lfs_buf_free(&w.lines);
    if (rc)
        return rc;
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory writing bytecode");
    return 0;
}
