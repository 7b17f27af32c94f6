/*
** vm51_dump.c: vm_dump, the twin of vm51_undump: writes the Lua function
** on top of the stack as NodeMCU-format target .lc bytes (what
** string.dump returns and loadstring loads back), for RAM and flash
** Protos alike. lfs/lc51_walk.c writes the fields in vm51_undump's order
** (the 12-byte header of the VM's number type, then per function source,
** absent when it is the parent's, line range, the four byte fields, code,
** constants, children, packed line info, local and upvalue names); the
** accessors here hand it each Proto's parts, and the sink passes the
** bytes to the caller's writer until it fails.
** Spec: docs/lfs51.md §2.6, §3.9; lfs/lc51.h (the format). Twin: vm51_undump.c.
** May call: lc51_walk, vm_obj, libc.
*/
#include "firmware/vm/vm_core.h"

#include <string.h>

typedef struct wr {
    vm_State *L;
    vm_Writer w;
    void *ud;
    int integral;
} wr_t;

static lc51_str_t string(plat_ref_t ref)
{
    lc51_str_t s = { NULL, 0 };
    if (ref) {
        const vm_string_t *ts = VM_P(vm_string_t, ref);
        s.p = str_data(ts);
        s.len = ts->len;
    }
    return s;
}

static void q_func(void *ud, const void *parent, const void *fp,
                   lc51_shape_t *s)
{
    const vm_proto_t *f = fp;
    plat_ref_t psource = parent ? ((const vm_proto_t *)parent)->source : 0;
    (void)ud;
    s->head.source = string(f->source == psource ? 0 : f->source);
    LC51_COPY_FIXED(&s->head, f);
    LC51_COPY_SIZES(s, f);
    s->code = VM_P(const uint32_t, f->code);
}

static int q_constant(void *ud, const void *fp, int32_t i, lc51_const_t *c)
{
    const wr_t *d = ud;
    const vm_proto_t *f = fp;
    uint32_t v;
    if (d->integral) {
        const vm_kvalue8_t *k = VM_P(vm_kvalue8_t, f->k) + i;
        c->type = (uint8_t)k->tt;
        v = k->v;
    } else {
        const vm_tvalue_t *k = VM_P(vm_tvalue_t, f->k) + i;
        c->type = (uint8_t)k->tt;
        v = k->value.gc;
        c->n = k->value.n;
    }
    c->b = v != 0;
    c->i = (int32_t)v;
    if (c->type == VM_TSTRING)
        c->s = string(v);
    return 0;
}

static const void *q_child(void *ud, const void *fp, int32_t i)
{
    (void)ud;
    return VM_P(vm_proto_t, VM_P(plat_ref_t, ((const vm_proto_t *)fp)->p)[i]);
}

static int q_lines(void *ud, const void *fp, const uint8_t **p, int32_t *n)
{
    const vm_proto_t *f = fp;
    (void)ud;
    *p = VM_P(const uint8_t, f->packedlineinfo);
    *n = f->packedlineinfo ? (int32_t)strlen((const char *)*p) + 1 : 0;
    return 0;
}

static void q_local(void *ud, const void *fp, int32_t i, lc51_local_t *lv)
{
    const vm_locvar_t *l = VM_P(vm_locvar_t, ((const vm_proto_t *)fp)->locvars)
                           + i;
    (void)ud;
    lv->name = string(l->varname);
    lv->startpc = l->startpc;
    lv->endpc = l->endpc;
}

static lc51_str_t q_upvalue(void *ud, const void *fp, int32_t i)
{
    (void)ud;
    return string(VM_P(plat_ref_t, ((const vm_proto_t *)fp)->upvalues)[i]);
}

static int q_put(void *ud, const void *p, size_t n)
{
    wr_t *d = ud;
    return d->w(d->L, p, n, d->ud);
}

static const lc51_query_t query = {
    q_func, q_constant, q_child, q_lines, q_local, q_upvalue, q_put
};

int vm_dump(vm_State *L, vm_Writer w, void *ud)
{
    const vm_tvalue_t *o = L_top(L) - 1;
    if (o->tt != VM_TFUNCTION || tv_cl(o)->isC)
        return 1;
    wr_t d = { L, w, ud, G(L)->integral };
    return lc51_walk_write(&query, &d, LC51_NODEMCU, 4, (uint8_t)d.integral,
                           cl_proto(tv_cl(o)));
}
