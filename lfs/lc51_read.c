/*
** lc51_read.c: reads Lua 5.1 bytecode files, stock or NodeMCU flavour, into
** the model (see lc51.h for the layout). Every count is checked against the
** bytes that remain before anything is allocated, and nesting is bounded,
** so hostile input cannot exhaust memory or the stack.
** Twin: lc51_write.c. May call: lfs_model, lfs_buf, lfs51_lines, libc.
*/
#include "lfs/lc51.h"

#include <string.h>

#include "lfs/lfs51_lines.h"

typedef struct reader {
    lfs_cur_t c;
    lc51_header_t h;
    lc51_flavour_t fl;
    lfs_model_t *m;
} reader_t;

static int nomem(reader_t *r)
{
    if (!r->c.err)
        r->c.err = lfs_fail(r->c.d, (long)r->c.pos, LFS_ENOMEM,
                            "out of memory reading bytecode");
    return r->c.err;
}

static int32_t get_int(reader_t *r, const char *what)
{
    return (int32_t)lfs_cur_le32(&r->c, what);
}

/* A count of elements of at least `min` bytes each; bounded by the rest. */
static int get_count(reader_t *r, size_t min, const char *what)
{
    size_t at = r->c.pos;
    int32_t n = get_int(r, what);
    if (r->c.err)
        return 0;
    if (n < 0 || (size_t)n > (r->c.n - r->c.pos) / min) {
        r->c.pos = at;
        lfs_cur_bad(&r->c, "%s count %d is impossible for the %zu bytes"
                    " left; the file is corrupt or not Lua 5.1 bytecode",
                    what, (int)n, r->c.n - r->c.pos - 4);
        return 0;
    }
    return n;
}

static void get_string(reader_t *r, lfs_str_t *s, const char *what)
{
    uint64_t n = r->h.sizeof_size_t == 8 ? lfs_cur_le64(&r->c, what)
                                         : lfs_cur_le32(&r->c, what);
    s->data = NULL;
    s->len = 0;
    if (r->c.err || n == 0)
        return;
    if (n > UINT32_MAX || n > r->c.n - r->c.pos) {
        lfs_cur_bad(&r->c, "%s of %llu bytes runs past the end of the file",
                    what, (unsigned long long)n);
        return;
    }
    const uint8_t *p = lfs_cur_take(&r->c, (size_t)n, what);
    if (p[n - 1] != 0) {
        lfs_cur_bad(&r->c, "%s is not NUL-terminated", what);
        return;
    }
    if (lfs_model_str(r->m, p, (uint32_t)(n - 1), s))
        nomem(r);
}

static void get_align(reader_t *r)
{
    if (r->fl == LC51_NODEMCU)
        lfs_cur_align(&r->c, 4);
}

static void get_constants(reader_t *r, lfs_proto_t *f)
{
    f->sizek = get_count(r, 1, "constant");
    if (r->c.err)
        return;
    f->k = lfs_model_alloc(r->m, sizeof *f->k * (size_t)f->sizek);
    if (f->sizek && !f->k) {
        nomem(r);
        return;
    }
    for (int i = 0; i < f->sizek && !r->c.err; i++) {
        lfs_const_t *k = &f->k[i];
        size_t at = r->c.pos;
        int t = lfs_cur_u8(&r->c, "constant type");
        switch (t) {
        case 0:
            k->type = LFS_KNIL;
            break;
        case 1:
            k->type = LFS_KBOOL;
            k->b = lfs_cur_u8(&r->c, "boolean") != 0;
            break;
        case 3:
            if (r->h.integral) {
                k->type = LFS_KINT;
                k->i = (int32_t)lfs_cur_le32(&r->c, "number");
            } else {
                uint64_t u = lfs_cur_le64(&r->c, "number");
                k->type = LFS_KNUM;
                memcpy(&k->n, &u, sizeof k->n);
            }
            break;
        case 4:
            k->type = LFS_KSTR;
            get_string(r, &k->s, "string constant");
            if (!r->c.err && !k->s.data)
                lfs_cur_bad(&r->c, "string constant %d is NULL", i);
            break;
        default:
            r->c.pos = at;
            lfs_cur_bad(&r->c, "constant %d has type %d; Lua 5.1 constants"
                        " are nil, boolean, number or string", i, t);
        }
    }
}

static lfs_proto_t *get_function(reader_t *r, lfs_str_t parent, int depth);

static void get_debug(reader_t *r, lfs_proto_t *f)
{
    if (r->fl == LC51_STOCK) {
        f->sizelineinfo = get_count(r, 4, "line info");
        if (!r->c.err && f->sizelineinfo != 0 &&
            f->sizelineinfo != f->sizecode)
            lfs_cur_bad(&r->c, "%d line-info entries for %d instructions",
                        f->sizelineinfo, f->sizecode);
        if (r->c.err || !f->sizelineinfo)
            goto locals;
        f->lineinfo = lfs_model_alloc(r->m, sizeof(int) * f->sizecode);
        if (!f->lineinfo) {
            nomem(r);
            return;
        }
        for (int i = 0; i < f->sizelineinfo; i++)
            f->lineinfo[i] = get_int(r, "line info");
    } else {
        int blen = get_count(r, 1, "packed line info");
        get_align(r);
        const uint8_t *blob = lfs_cur_take(&r->c, (size_t)blen,
                                           "packed line info");
        if (r->c.err || blen == 0)
            goto locals;
        int anyfix;
        f->lineinfo = lfs_model_alloc(r->m, sizeof(int) * f->sizecode);
        f->linefix = lfs_model_alloc(r->m, (size_t)f->sizecode);
        if (!f->lineinfo || !f->linefix) {
            nomem(r);
            return;
        }
        if (blob[blen - 1] != 0 || (int)strlen((const char *)blob) != blen - 1
            || lfs51_lines_unpack(blob, (size_t)blen, f->lineinfo,
                                  f->linefix, f->sizecode, &anyfix)
               != f->sizecode) {
            r->c.pos -= (size_t)blen;
            lfs_cur_bad(&r->c, "packed line info does not describe the"
                        " function's %d instructions", f->sizecode);
            return;
        }
        f->sizelineinfo = f->sizecode;
        if (!anyfix)
            f->linefix = NULL;
    }
locals:
    f->sizelocvars = get_count(r, 9, "local variable");
    if (r->c.err)
        return;
    f->locvars = lfs_model_alloc(r->m, sizeof *f->locvars *
                                 (size_t)f->sizelocvars);
    if (f->sizelocvars && !f->locvars) {
        nomem(r);
        return;
    }
    for (int i = 0; i < f->sizelocvars && !r->c.err; i++) {
        get_string(r, &f->locvars[i].varname, "local name");
        f->locvars[i].startpc = get_int(r, "local startpc");
        f->locvars[i].endpc = get_int(r, "local endpc");
    }
    f->sizeupvalues = get_count(r, r->h.sizeof_size_t, "upvalue name");
    if (r->c.err)
        return;
    if (f->sizeupvalues != 0 && f->sizeupvalues != f->nups) {
        lfs_cur_bad(&r->c, "%d upvalue names for %d upvalues",
                    f->sizeupvalues, f->nups);
        return;
    }
    f->upvalues = lfs_model_alloc(r->m, sizeof *f->upvalues *
                                  (size_t)f->sizeupvalues);
    if (f->sizeupvalues && !f->upvalues) {
        nomem(r);
        return;
    }
    for (int i = 0; i < f->sizeupvalues && !r->c.err; i++)
        get_string(r, &f->upvalues[i].name, "upvalue name");
}

static lfs_proto_t *get_function(reader_t *r, lfs_str_t parent, int depth)
{
    lfs_proto_t *f = lfs_model_proto(r->m);
    if (!f) {
        nomem(r);
        return NULL;
    }
    if (depth > LC51_MAXDEPTH) {
        lfs_cur_bad(&r->c, "functions nested more than %d deep",
                    LC51_MAXDEPTH);
        return NULL;
    }
    get_string(r, &f->source, "source name");
    if (!f->source.data)
        f->source = parent;
    f->linedefined = get_int(r, "linedefined");
    f->lastlinedefined = get_int(r, "lastlinedefined");
    f->nups = lfs_cur_u8(&r->c, "nups");
    f->numparams = lfs_cur_u8(&r->c, "numparams");
    f->is_vararg = lfs_cur_u8(&r->c, "is_vararg");
    f->maxstacksize = lfs_cur_u8(&r->c, "maxstacksize");
    f->sizecode = get_count(r, 4, "instruction");
    get_align(r);
    const uint8_t *code = lfs_cur_take(&r->c, 4 * (size_t)f->sizecode,
                                       "code");
    if (r->c.err)
        return NULL;
    if (f->sizecode == 0) {
        lfs_cur_bad(&r->c, "function has no instructions");
        return NULL;
    }
    f->code = lfs_model_alloc(r->m, 4 * (size_t)f->sizecode);
    if (!f->code) {
        nomem(r);
        return NULL;
    }
    for (int i = 0; i < f->sizecode; i++)
        f->code[i] = lfs_le32(code + 4 * i);
    get_constants(r, f);
    f->sizep = get_count(r, 1, "function");
    if (r->c.err)
        return NULL;
    f->p = lfs_model_alloc(r->m, sizeof *f->p * (size_t)f->sizep);
    if (f->sizep && !f->p) {
        nomem(r);
        return NULL;
    }
    for (int i = 0; i < f->sizep && !r->c.err; i++)
        f->p[i] = get_function(r, f->source, depth + 1);
    get_debug(r, f);
    return r->c.err ? NULL : f;
}

static int check_header(reader_t *r, lc51_flavour_t fl)
{
    lc51_header_t *h = &r->h;
    const uint8_t *p = lfs_cur_take(&r->c, sizeof *h, "bytecode header");
    if (!p)
        return r->c.err;
    memcpy(h, p, sizeof *h);
    r->c.pos = 0;
    if (memcmp(h->signature, "\033Lua", 4) != 0)
        return lfs_cur_bad(&r->c, "not a Lua bytecode file (no \\033Lua"
                           " signature)");
    r->c.pos = 4;
    if (h->version != 0x51)
        return lfs_cur_bad(&r->c, "bytecode version 0x%02x, not Lua 5.1"
                           " (0x51)", h->version);
    r->c.pos = 5;
    if (h->format != 0)
        return lfs_cur_bad(&r->c, "bytecode format %d, not 0", h->format);
    r->c.pos = 6;
    if (h->endian != 1)
        return lfs_cur_bad(&r->c, "big-endian bytecode; only little-endian"
                           " is supported");
    r->c.pos = 7;
    if (h->sizeof_int != 4 || h->sizeof_instr != 4 ||
        (h->sizeof_size_t != 4 && h->sizeof_size_t != 8))
        return lfs_cur_bad(&r->c, "bytecode for int/size_t/Instruction"
                           " sizes %d/%d/%d; expected 4/4-or-8/4",
                           h->sizeof_int, h->sizeof_size_t, h->sizeof_instr);
    r->c.pos = 10;
    if (!((h->sizeof_number == 8 && h->integral == 0) ||
          (h->sizeof_number == 4 && h->integral == 1)))
        return lfs_cur_bad(&r->c, "bytecode numbers are %d-byte %s;"
                           " expected 8-byte doubles or 4-byte integers",
                           h->sizeof_number,
                           h->integral ? "integers" : "floats");
    if (fl == LC51_NODEMCU && h->sizeof_size_t != 4)
        return lfs_cur_bad(&r->c, "NodeMCU .lc files have 4-byte size_t,"
                           " not %d", h->sizeof_size_t);
    r->c.pos = sizeof *h;
    return 0;
}

int lc51_read(const uint8_t *p, size_t n, lc51_flavour_t fl, lfs_model_t *m,
              lfs_diag_t *d, lc51_header_t *hdr, lfs_proto_t **out)
{
    reader_t r;
    lfs_str_t none = { NULL, 0 };
    memset(&r, 0, sizeof r);
    lfs_cur_init(&r.c, p, n, d);
    r.fl = fl;
    r.m = m;
    *out = NULL;
    if (check_header(&r, fl))
        return r.c.err;
    if (hdr)
        *hdr = r.h;
    lfs_proto_t *f = get_function(&r, none, 0);
    if (r.c.err)
        return r.c.err;
    if (r.c.pos != n)
        return lfs_cur_bad(&r.c, "%zu bytes of garbage after the main"
                           " function", n - r.c.pos);
    *out = f;
    return 0;
}
