/*
** lc51_walk.c: reads and writes the fields of a Lua 5.1 bytecode file in
** lundump.c's order (lc51_walk.h). Reading checks every count against the
** bytes left before a callback sees it, so no caller allocates for bytes
** that are not there, and bounds nesting by the caller's rules.
** Spec: docs/lfs51.md §3.9. Twin: the reader and the writer below. May call:
** libc.
*/
#include "lfs/lc51_walk.h"

#include <string.h>

/* ---- reading ----------------------------------------------------------- */

int lc51_walk_fail(lc51_walk_t *w, int err, int field, size_t at,
                   uint64_t a, int32_t b)
{
    if (!w->err) {
        w->err = err;
        w->fault.field = (uint8_t)field;
        w->fault.at = at;
        w->fault.a = a;
        w->fault.b = b;
    }
    return w->err;
}

/* A callback's result: nonzero stops the walk. */
static int call(lc51_walk_t *w, int rc)
{
    if (rc && !w->err)
        w->err = rc;
    return w->err;
}

static const uint8_t *take(lc51_walk_t *w, size_t n, int field)
{
    if (w->err)
        return NULL;
    if (n > w->n - w->pos) {
        lc51_walk_fail(w, LC51_ETRUNC, field, w->pos, n, 0);
        return NULL;
    }
    const uint8_t *p = w->p + w->pos;
    w->pos += n;
    return p;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint8_t get_u8(lc51_walk_t *w, int field)
{
    const uint8_t *p = take(w, 1, field);
    return p ? p[0] : 0;
}

static uint32_t get_u32(lc51_walk_t *w, int field)
{
    const uint8_t *p = take(w, 4, field);
    return p ? le32(p) : 0;
}

/* A count of elements of at least min bytes each; 0 after a fault. */
static int32_t get_count(lc51_walk_t *w, size_t min, int field)
{
    size_t at = w->pos;
    int32_t n = (int32_t)get_u32(w, field);
    if (!w->err && (n < 0 || (size_t)n > (w->n - w->pos) / min))
        lc51_walk_fail(w, LC51_ECOUNT, field, at, (uint64_t)(int64_t)n, 0);
    return w->err ? 0 : n;
}

static lc51_str_t get_string(lc51_walk_t *w, int field)
{
    lc51_str_t s = { NULL, 0 };
    const uint8_t *p = take(w, w->h.sizeof_size_t, field);
    if (!p)
        return s;
    uint64_t n = le32(p);
    if (w->h.sizeof_size_t == 8)
        n |= (uint64_t)le32(p + 4) << 32;
    if (n == 0)
        return s;
    if (n > UINT32_MAX || n > w->n - w->pos) {
        lc51_walk_fail(w, LC51_ESTRLEN, field, w->pos, n, 0);
        return s;
    }
    p = take(w, (size_t)n, field);
    if (p[n - 1] != 0) {
        lc51_walk_fail(w, LC51_ENUL, field, w->pos, 0, 0);
        return s;
    }
    s.p = (const char *)p;
    s.len = (uint32_t)(n - 1);
    return s;
}

/* A string that the names rule may require. */
static lc51_str_t get_name(lc51_walk_t *w, int field)
{
    lc51_str_t s = get_string(w, field);
    if (!w->err && !s.p && w->rules->names)
        lc51_walk_fail(w, LC51_ENAME, field, w->pos, 0, 0);
    return s;
}

/* NodeMCU: padding to a 4-byte file offset. */
static void get_pad(lc51_walk_t *w)
{
    if (w->flavour != LC51_NODEMCU)
        return;
    size_t pad = (4 - (w->pos & 3)) & 3;
    const uint8_t *p = take(w, pad, LC51_FPADDING);
    for (size_t i = 0; p && w->rules->zeropad && i < pad; i++)
        if (p[i] != 0) {
            lc51_walk_fail(w, LC51_EPAD, LC51_FPADDING, w->pos - pad + i,
                           p[i], 0);
            return;
        }
}

int lc51_walk_open(lc51_walk_t *w, const uint8_t *p, size_t n,
                   lc51_flavour_t fl, const lc51_rules_t *rules)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->n = n;
    w->flavour = fl;
    w->rules = rules;
    const uint8_t *b = take(w, sizeof w->h, LC51_FHEADER);
    if (!b)
        return w->err;
    lc51_header_t *h = &w->h;
    memcpy(h, b, sizeof *h);
    int err = 0;
    size_t at = 0;
    if (memcmp(h->signature, "\033Lua", 4) != 0)
        err = LC51_ESIGNATURE;
    else if (at = 4, h->version != 0x51)
        err = LC51_EVERSION;
    else if (at = 5, h->format != 0)
        err = LC51_EFORMAT;
    else if (at = 6, h->endian != 1)
        err = LC51_EENDIAN;
    else if (at = 7, h->sizeof_int != 4 || h->sizeof_instr != 4 ||
             (h->sizeof_size_t != 4 && h->sizeof_size_t != 8))
        err = LC51_ESIZES;
    else if (at = 10, !((h->sizeof_number == 8 && h->integral == 0) ||
                        (h->sizeof_number == 4 && h->integral == 1)))
        err = LC51_ENUMBERS;
    else if (fl == LC51_NODEMCU && h->sizeof_size_t != 4)
        err = LC51_ESIZE_T;
    return err ? lc51_walk_fail(w, err, LC51_FHEADER, at, 0, 0) : 0;
}

static void get_constant(lc51_walk_t *w, int32_t i)
{
    lc51_const_t *k = &w->k;
    size_t at = w->pos;
    k->type = get_u8(w, LC51_FKTYPE);
    switch (k->type) {
    case LC51_TNIL:
        break;
    case LC51_TBOOLEAN:
        k->b = get_u8(w, LC51_FBOOLEAN) != 0;
        break;
    case LC51_TNUMBER:
        if (w->h.integral) {
            k->i = (int32_t)get_u32(w, LC51_FNUMBER);
        } else {
            const uint8_t *p = take(w, 8, LC51_FNUMBER);
            uint64_t u = p ? le32(p) | (uint64_t)le32(p + 4) << 32 : 0;
            memcpy(&k->n, &u, sizeof k->n);
        }
        break;
    case LC51_TSTRING:
        k->s = get_string(w, LC51_FKSTRING);
        if (!w->err && !k->s.p)
            lc51_walk_fail(w, LC51_EKNULL, LC51_FKSTRING, w->pos, 0, i);
        break;
    default:
        lc51_walk_fail(w, LC51_EKTYPE, LC51_FKTYPE, at, k->type, i);
    }
}

/* The line info after the children; sizecode for the faults. */
static void get_lines(lc51_walk_t *w, void *f, int32_t sizecode)
{
    int32_t n;
    const uint8_t *p;
    if (w->flavour == LC51_STOCK) {
        n = get_count(w, 4, LC51_FLINEINFO);
        if (!w->err && n != 0 && n != sizecode)
            lc51_walk_fail(w, LC51_ENLINES, LC51_FLINEINFO, w->pos,
                           (uint64_t)n, sizecode);
        p = take(w, 4 * (size_t)n, LC51_FLINEINFO);
    } else {
        n = get_count(w, 1, LC51_FPACKED);
        get_pad(w);
        p = take(w, (size_t)n, LC51_FPACKED);
        if (p && n > 0 && p[n - 1] != 0)
            lc51_walk_fail(w, LC51_ELINES, LC51_FPACKED, w->pos - (size_t)n,
                           0, sizecode);
    }
    if (!w->err && n > 0)
        call(w, w->v->lines(w->ud, f, p, n));
}

/* The debug vectors after the line info: local and upvalue names. */
static void get_names(lc51_walk_t *w, void *f, uint8_t nups)
{
    const lc51_visit_t *v = w->v;
    int32_t n = get_count(w, w->rules->locmin, LC51_FNLOCVARS);
    if (w->err || call(w, v->count(w->ud, f, LC51_VLOC, n)))
        return;
    for (int32_t i = 0; i < n; i++) {
        w->lv.name = get_name(w, LC51_FLOCNAME);
        w->lv.startpc = (int32_t)get_u32(w, LC51_FSTARTPC);
        w->lv.endpc = (int32_t)get_u32(w, LC51_FENDPC);
        if (w->err || call(w, v->local(w->ud, f, i, &w->lv)))
            return;
    }
    n = get_count(w, w->h.sizeof_size_t, LC51_FUPVALNAME);
    if (!w->err && n != 0 && n != nups)
        lc51_walk_fail(w, LC51_ENUPNAMES, LC51_FUPVALNAME, w->pos,
                       (uint64_t)n, nups);
    if (w->err || call(w, v->count(w->ud, f, LC51_VUPV, n)))
        return;
    for (int32_t i = 0; i < n; i++) {
        lc51_str_t s = get_name(w, LC51_FUPVALNAME);
        if (w->err || call(w, v->upvalue(w->ud, f, i, s)))
            return;
    }
}

static void *get_function(lc51_walk_t *w, void *parent, int nest)
{
    const lc51_visit_t *v = w->v;
    void *f = NULL;
    if (nest > w->rules->maxnest) {
        lc51_walk_fail(w, LC51_EDEEP, LC51_FSOURCE, w->pos, 0, 0);
        return NULL;
    }
    lc51_func_t *fn = &w->fn;
    fn->source = get_string(w, LC51_FSOURCE);
    fn->linedefined = (int32_t)get_u32(w, LC51_FLINEDEFINED);
    fn->lastlinedefined = (int32_t)get_u32(w, LC51_FLASTLINEDEFINED);
    fn->nups = get_u8(w, LC51_FNUPS);
    fn->numparams = get_u8(w, LC51_FNUMPARAMS);
    fn->is_vararg = get_u8(w, LC51_FIS_VARARG);
    fn->maxstacksize = get_u8(w, LC51_FMAXSTACKSIZE);
    if (w->err || call(w, v->func(w->ud, parent, fn, &f)))
        return NULL;
    uint8_t nups = fn->nups;
    int32_t sizecode = get_count(w, 4, LC51_FNCODE);
    get_pad(w);
    const uint8_t *code = take(w, 4 * (size_t)sizecode, LC51_FCODE);
    if (!w->err && sizecode == 0)
        lc51_walk_fail(w, LC51_ENOCODE, LC51_FCODE, w->pos, 0, 0);
    if (w->err || call(w, v->code(w->ud, f, code, sizecode)))
        return NULL;
    int32_t n = get_count(w, 1, LC51_FNK);
    if (w->err || call(w, v->count(w->ud, f, LC51_VK, n)))
        return NULL;
    for (int32_t i = 0; i < n; i++) {
        get_constant(w, i);
        if (w->err || call(w, v->constant(w->ud, f, i, &w->k)))
            return NULL;
    }
    n = get_count(w, 1, LC51_FNP);
    if (w->err || call(w, v->count(w->ud, f, LC51_VP, n)))
        return NULL;
    for (int32_t i = 0; i < n; i++) {
        void *c = get_function(w, f, nest + 1);
        if (w->err || call(w, v->child(w->ud, f, i, c)))
            return NULL;
    }
    get_lines(w, f, sizecode);
    get_names(w, f, nups);
    if (w->err || (v->end && call(w, v->end(w->ud, f))))
        return NULL;
    return f;
}

int lc51_walk_read(lc51_walk_t *w, const lc51_visit_t *v, void *ud,
                   void **main)
{
    w->v = v;
    w->ud = ud;
    void *f = get_function(w, NULL, 0);
    if (!w->err && w->pos != w->n)
        lc51_walk_fail(w, LC51_ETRAIL, LC51_FSOURCE, w->pos, 0, 0);
    if (!w->err)
        *main = f;
    return w->err;
}

/* ---- writing ----------------------------------------------------------- */

typedef struct writer {
    const lc51_query_t *q;
    void *ud;
    size_t pos;                 /* bytes written: the file offset */
    int err;
    uint8_t nodemcu, sizeof_size_t, integral;
    lc51_shape_t s;             /* the parts being written */
    lc51_const_t k;
    lc51_local_t lv;
} writer_t;

static void put(writer_t *w, const void *p, size_t n)
{
    if (!w->err && n > 0)
        w->err = w->q->put(w->ud, p, n);
    w->pos += n;
}

static void put_u8(writer_t *w, uint8_t v)
{
    put(w, &v, 1);
}

static void put_u32(writer_t *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };
    put(w, b, 4);
}

static void put_pad(writer_t *w)
{
    static const uint8_t zero[3];
    if (w->nodemcu)
        put(w, zero, (4 - (w->pos & 3)) & 3);
}

static void put_string(writer_t *w, lc51_str_t s)
{
    uint64_t n = s.p ? (uint64_t)s.len + 1 : 0;
    put_u32(w, (uint32_t)n);
    if (w->sizeof_size_t == 8)
        put_u32(w, (uint32_t)(n >> 32));
    if (s.p) {
        put(w, s.p, s.len);
        put_u8(w, 0);
    }
}

static void put_constant(writer_t *w, const lc51_const_t *k)
{
    put_u8(w, k->type);
    if (k->type == LC51_TBOOLEAN) {
        put_u8(w, k->b);
    } else if (k->type == LC51_TNUMBER && w->integral) {
        put_u32(w, (uint32_t)k->i);
    } else if (k->type == LC51_TNUMBER) {
        uint64_t u;
        memcpy(&u, &k->n, sizeof u);
        put_u32(w, (uint32_t)u);
        put_u32(w, (uint32_t)(u >> 32));
    } else if (k->type == LC51_TSTRING) {
        put_string(w, k->s);
    }
}

/* The part of f's record before its children. */
static void put_head(writer_t *w, const void *f)
{
    const lc51_shape_t *s = &w->s;
    put_string(w, s->head.source);
    put_u32(w, (uint32_t)s->head.linedefined);
    put_u32(w, (uint32_t)s->head.lastlinedefined);
    put_u8(w, s->head.nups);
    put_u8(w, s->head.numparams);
    put_u8(w, s->head.is_vararg);
    put_u8(w, s->head.maxstacksize);
    put_u32(w, (uint32_t)s->sizecode);
    put_pad(w);
    for (int32_t i = 0; i < s->sizecode; i++)
        put_u32(w, s->code[i]);
    put_u32(w, (uint32_t)s->sizek);
    for (int32_t i = 0; i < s->sizek && !w->err; i++) {
        w->err = w->q->constant(w->ud, f, i, &w->k);
        put_constant(w, &w->k);
    }
}

/* The part after the children: line info, local and upvalue names. */
static void put_debug(writer_t *w, const void *f, int32_t nloc, int32_t nup)
{
    const lc51_query_t *q = w->q;
    const uint8_t *p = NULL;
    int32_t n = 0;
    if (!w->err)
        w->err = q->lines(w->ud, f, &p, &n);
    put_u32(w, (uint32_t)n);
    put_pad(w);
    put(w, p, (size_t)n * (w->nodemcu ? 1 : 4));
    put_u32(w, (uint32_t)nloc);
    for (int32_t i = 0; i < nloc && !w->err; i++) {
        q->local(w->ud, f, i, &w->lv);
        put_string(w, w->lv.name);
        put_u32(w, (uint32_t)w->lv.startpc);
        put_u32(w, (uint32_t)w->lv.endpc);
    }
    put_u32(w, (uint32_t)nup);
    for (int32_t i = 0; i < nup && !w->err; i++)
        put_string(w, q->upvalue(w->ud, f, i));
}

static void put_function(writer_t *w, const void *parent, const void *f)
{
    w->q->func(w->ud, parent, f, &w->s);
    put_head(w, f);
    int32_t np = w->s.sizep, nloc = w->s.sizelocvars;
    int32_t nup = w->s.sizeupvalues;
    put_u32(w, (uint32_t)np);
    for (int32_t i = 0; i < np && !w->err; i++)
        put_function(w, f, w->q->child(w->ud, f, i));
    put_debug(w, f, nloc, nup);
}

int lc51_walk_write(const lc51_query_t *q, void *ud, lc51_flavour_t fl,
                    uint8_t sizeof_size_t, uint8_t integral, const void *main)
{
    const lc51_header_t h = {
        { 0x1B, 'L', 'u', 'a' }, 0x51, 0, 1, 4, sizeof_size_t, 4,
        (uint8_t)(integral ? 4 : 8), (uint8_t)(integral != 0)
    };
    writer_t w;
    memset(&w, 0, sizeof w);
    w.q = q;
    w.ud = ud;
    w.nodemcu = fl == LC51_NODEMCU;
    w.sizeof_size_t = sizeof_size_t;
    w.integral = h.integral;
    put(&w, &h, sizeof h);
    put_function(&w, NULL, main);
    return w.err;
}
