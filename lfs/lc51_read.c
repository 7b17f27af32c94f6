/*
** lc51_read.c: reads Lua 5.1 bytecode files, stock or NodeMCU flavour, into
** the model (see lc51.h for the layout). lc51_walk checks every count
** against the bytes that remain before anything is allocated, and bounds
** nesting, so hostile input cannot exhaust memory or the stack; the
** callbacks here copy each part into the model, and a fault becomes one
** diagnostic with its byte offset.
** Twin: lc51_write.c. May call: lc51_walk, lfs_model, lfs_buf,
** lfs51_lines, libc.
*/
#include "lfs/lc51.h"

#include <string.h>

#include "lfs/lfs51_lines.h"

typedef struct reader {
    lc51_walk_t w;
    lfs_model_t *m;
    lfs_diag_t *d;
} reader_t;

/* The host's long-standing bounds: 200 nested levels below the main
** function, 9 bytes for a local record, zero padding, absent names. */
static const lc51_rules_t rules = { LC51_MAXDEPTH, 9, 1, 0 };

static int nomem(reader_t *r)
{
    return lfs_fail(r->d, (long)r->w.pos, LFS_ENOMEM,
                    "out of memory reading bytecode");
}

/* Copy a string field into the model (absent stays absent). */
static int copy(reader_t *r, lc51_str_t s, lfs_str_t *out)
{
    out->data = NULL;
    out->len = 0;
    if (s.p && lfs_model_str(r->m, s.p, s.len, out))
        return nomem(r);
    return 0;
}

static int on_func(void *ud, void *parent, const lc51_func_t *fn, void **out)
{
    reader_t *r = ud;
    lfs_proto_t *f = lfs_model_proto(r->m);
    if (!f || copy(r, fn->source, &f->source))
        return nomem(r);
    if (!f->source.data && parent)
        f->source = ((lfs_proto_t *)parent)->source;
    LC51_COPY_FIXED(f, fn);
    *out = f;
    return 0;
}

static int on_code(void *ud, void *fp, const uint8_t *p, int32_t n)
{
    reader_t *r = ud;
    lfs_proto_t *f = fp;
    f->sizecode = n;
    f->code = lfs_model_alloc(r->m, 4 * (size_t)n);
    if (!f->code)
        return nomem(r);
    for (int32_t i = 0; i < n; i++)
        f->code[i] = lfs_le32(p + 4 * i);
    return 0;
}

static int on_count(void *ud, void *fp, lc51_vec_t v, int32_t n)
{
    reader_t *r = ud;
    lfs_proto_t *f = fp;
    void *a;
    switch (v) {
    case LC51_VK:
        a = f->k = lfs_model_alloc(r->m, sizeof *f->k * (size_t)n);
        f->sizek = n;
        break;
    case LC51_VP:
        a = f->p = lfs_model_alloc(r->m, sizeof *f->p * (size_t)n);
        f->sizep = n;
        break;
    case LC51_VLOC:
        a = f->locvars = lfs_model_alloc(r->m, sizeof *f->locvars *
                                         (size_t)n);
        f->sizelocvars = n;
        break;
    default:
        a = f->upvalues = lfs_model_alloc(r->m, sizeof *f->upvalues *
                                          (size_t)n);
        f->sizeupvalues = n;
    }
    return n && !a ? nomem(r) : 0;
}

static int on_constant(void *ud, void *fp, int32_t i, const lc51_const_t *c)
{
    reader_t *r = ud;
    lfs_const_t *k = &((lfs_proto_t *)fp)->k[i];
    switch (c->type) {
    case LC51_TNIL:
        k->type = LFS_KNIL;
        break;
    case LC51_TBOOLEAN:
        k->type = LFS_KBOOL;
        k->b = c->b;
        break;
    case LC51_TNUMBER:
        if (r->w.h.integral) {
            k->type = LFS_KINT;
            k->i = c->i;
        } else {
            k->type = LFS_KNUM;
            k->n = c->n;
        }
        break;
    default:
        k->type = LFS_KSTR;
        return copy(r, c->s, &k->s);
    }
    return 0;
}

static int on_child(void *ud, void *fp, int32_t i, void *c)
{
    (void)ud;
    ((lfs_proto_t *)fp)->p[i] = c;
    return 0;
}

static int on_lines(void *ud, void *fp, const uint8_t *p, int32_t n)
{
    reader_t *r = ud;
    lfs_proto_t *f = fp;
    f->lineinfo = lfs_model_alloc(r->m, sizeof(int) * (size_t)f->sizecode);
    if (!f->lineinfo)
        return nomem(r);
    if (r->w.flavour == LC51_STOCK) {
        f->sizelineinfo = n;
        for (int32_t i = 0; i < n; i++)
            f->lineinfo[i] = (int32_t)lfs_le32(p + 4 * i);
        return 0;
    }
    int anyfix;
    f->linefix = lfs_model_alloc(r->m, (size_t)f->sizecode);
    if (!f->linefix)
        return nomem(r);
    if ((int32_t)strlen((const char *)p) != n - 1 ||
        lfs51_lines_unpack(p, (size_t)n, f->lineinfo, f->linefix,
                           f->sizecode, &anyfix) != f->sizecode)
        return lc51_walk_fail(&r->w, LC51_ELINES, LC51_FPACKED,
                              r->w.pos - (size_t)n, 0, f->sizecode);
    f->sizelineinfo = f->sizecode;
    if (!anyfix)
        f->linefix = NULL;
    return 0;
}

static int on_local(void *ud, void *fp, int32_t i, const lc51_local_t *lv)
{
    lfs_locvar_t *l = &((lfs_proto_t *)fp)->locvars[i];
    l->startpc = lv->startpc;
    l->endpc = lv->endpc;
    return copy(ud, lv->name, &l->varname);
}

static int on_upvalue(void *ud, void *fp, int32_t i, lc51_str_t name)
{
    return copy(ud, name, &((lfs_proto_t *)fp)->upvalues[i].name);
}

static const lc51_visit_t visit = {
    on_func, on_code, on_count, on_constant, on_child, on_lines, on_local,
    on_upvalue, NULL
};

/* What each field is called in the diagnostics (enum lc51_field). */
static const char *const fields[] = {
    "bytecode header", "source name", "linedefined", "lastlinedefined",
    "nups", "numparams", "is_vararg", "maxstacksize", "instruction",
    "alignment padding", "code", "constant", "constant type", "boolean",
    "number", "string constant", "function", "line info",
    "packed line info", "local variable", "local name", "local startpc",
    "local endpc", "upvalue name"
};

/* The walk's fault as one diagnostic at its offset. */
static int report(const reader_t *r)
{
    const lc51_walk_t *w = &r->w;
    const lc51_fault_t *f = &w->fault;
    const lc51_header_t *h = &w->h;
    const char *what = fields[f->field];
    long at = (long)f->at;
    lfs_diag_t *d = r->d;
    int a = (int)(int32_t)f->a, b = (int)f->b;
    switch (w->err) {
    case LC51_ETRUNC:
        return lfs_fail(d, at, LFS_EFORMAT, "truncated: %s needs %zu bytes"
                        " but %zu remain; the file is cut short, rebuild or"
                        " copy it again", what, (size_t)f->a, w->n - f->at);
    case LC51_ECOUNT:
        return lfs_fail(d, at, LFS_EFORMAT, "%s count %d is impossible for"
                        " the %zu bytes left; the file is corrupt or not Lua"
                        " 5.1 bytecode", what, a, w->n - f->at - 4);
    case LC51_ESTRLEN:
        return lfs_fail(d, at, LFS_EFORMAT, "%s of %llu bytes runs past the"
                        " end of the file", what, (unsigned long long)f->a);
    case LC51_ENUL:
        return lfs_fail(d, at, LFS_EFORMAT, "%s is not NUL-terminated",
                        what);
    case LC51_EPAD:
        return lfs_fail(d, at, LFS_EFORMAT, "padding byte is 0x%02x, not 0",
                        a);
    case LC51_ESIGNATURE:
        return lfs_fail(d, at, LFS_EFORMAT, "not a Lua bytecode file (no"
                        " \\033Lua signature)");
    case LC51_EVERSION:
        return lfs_fail(d, at, LFS_EFORMAT, "bytecode version 0x%02x, not"
                        " Lua 5.1 (0x51)", h->version);
    case LC51_EFORMAT:
        return lfs_fail(d, at, LFS_EFORMAT, "bytecode format %d, not 0",
                        h->format);
    case LC51_EENDIAN:
        return lfs_fail(d, at, LFS_EFORMAT, "big-endian bytecode; only"
                        " little-endian is supported");
    case LC51_ESIZES:
        return lfs_fail(d, at, LFS_EFORMAT, "bytecode for int/size_t/"
                        "Instruction sizes %d/%d/%d; expected 4/4-or-8/4",
                        h->sizeof_int, h->sizeof_size_t, h->sizeof_instr);
    case LC51_ENUMBERS:
        return lfs_fail(d, at, LFS_EFORMAT, "bytecode numbers are %d-byte"
                        " %s; expected 8-byte doubles or 4-byte integers",
                        h->sizeof_number,
                        h->integral ? "integers" : "floats");
    case LC51_ESIZE_T:
        return lfs_fail(d, at, LFS_EFORMAT, "NodeMCU .lc files have 4-byte"
                        " size_t, not %d", h->sizeof_size_t);
    case LC51_EDEEP:
        return lfs_fail(d, at, LFS_EFORMAT, "functions nested more than %d"
                        " deep", LC51_MAXDEPTH);
    case LC51_ENOCODE:
        return lfs_fail(d, at, LFS_EFORMAT, "function has no instructions");
    case LC51_EKTYPE:
        return lfs_fail(d, at, LFS_EFORMAT, "constant %d has type %d; Lua"
                        " 5.1 constants are nil, boolean, number or string",
                        b, a);
    case LC51_EKNULL:
        return lfs_fail(d, at, LFS_EFORMAT, "string constant %d is NULL", b);
    case LC51_ENLINES:
        return lfs_fail(d, at, LFS_EFORMAT, "%d line-info entries for %d"
                        " instructions", a, b);
    case LC51_ELINES:
        return lfs_fail(d, at, LFS_EFORMAT, "packed line info does not"
                        " describe the function's %d instructions", b);
    case LC51_ENUPNAMES:
        return lfs_fail(d, at, LFS_EFORMAT, "%d upvalue names for %d"
                        " upvalues", a, b);
    case LC51_ENAME:
        return lfs_fail(d, at, LFS_EFORMAT, "%s is absent", what);
    default: /* LC51_ETRAIL */
        return lfs_fail(d, at, LFS_EFORMAT, "%zu bytes of garbage after the"
                        " main function", w->n - f->at);
    }
}

int lc51_read(const uint8_t *p, size_t n, lc51_flavour_t fl, lfs_model_t *m,
              lfs_diag_t *d, lc51_header_t *hdr, lfs_proto_t **out)
{
    reader_t r;
    void *f = NULL;
    r.m = m;
    r.d = d;
    *out = NULL;
    int rc = lc51_walk_open(&r.w, p, n, fl, &rules);
    if (!rc) {
        if (hdr)
            *hdr = r.w.h;
        rc = lc51_walk_read(&r.w, &visit, &r, &f);
    }
    if (rc > 0)
        return report(&r);
    if (rc)
        return rc;
    *out = f;
    return 0;
}
