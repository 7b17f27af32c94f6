/*
** vm51_dump.c: vm_dump, the twin of vm51_undump: writes the Lua function
** on top of the stack as NodeMCU-format target .lc bytes (what
** string.dump returns and loadstring loads back), for RAM and flash
** Protos alike. The record is vm51_undump's, field for field: the 12-byte
** header of the VM's number type, then per function source (absent when
** it is the parent's), line range, the four byte fields, code (padded to a
** 4-byte file offset), constants, children, packed line info (padded),
** local names, upvalue names.
** Spec: lfs51.md §2.6, §3.9; lfs/lc51.h (the format). Twin: vm51_undump.c.
** May call: vm_obj, libc.
*/
#include "firmware/vm/vm_core.h"

#include <string.h>

typedef struct wr {
    vm_State *L;
    vm_Writer w;
    void *ud;
    size_t pos;          /* bytes written: the file offset for padding */
    int status;          /* the writer's first nonzero result          */
    int integral;
} wr_t;

static void put(wr_t *d, const void *p, size_t n)
{
    if (d->status == 0 && n > 0)
        d->status = d->w(d->L, p, n, d->ud);
    d->pos += n;
}

static void put_u32(wr_t *d, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };
    put(d, b, 4);
}

static void put_byte(wr_t *d, uint8_t v)
{
    put(d, &v, 1);
}

static void pad4(wr_t *d)
{
    static const uint8_t zero[3];
    put(d, zero, (4 - (d->pos & 3)) & 3);
}

/* A string record: length with the NUL, the bytes, the NUL; 0 if none. */
static void put_string(wr_t *d, plat_ref_t ref)
{
    if (ref == 0) {
        put_u32(d, 0);
        return;
    }
    const vm_string_t *s = VM_P(vm_string_t, ref);
    put_u32(d, s->len + 1);
    put(d, str_data(s), s->len + 1);
}

static void put_constant(wr_t *d, const vm_proto_t *f, int i)
{
    uint32_t tt, v;
    double n = 0;
    if (d->integral) {
        const vm_kvalue8_t *k = VM_P(vm_kvalue8_t, f->k) + i;
        tt = k->tt;
        v = k->v;
    } else {
        const vm_tvalue_t *k = VM_P(vm_tvalue_t, f->k) + i;
        tt = k->tt;
        v = k->value.gc;
        n = k->value.n;
    }
    put_byte(d, (uint8_t)tt);
    if (tt == VM_TBOOLEAN)
        put_byte(d, v != 0);
    else if (tt == VM_TNUMBER && d->integral)
        put_u32(d, v);
    else if (tt == VM_TNUMBER)
        put(d, &n, 8);                   /* little-endian double */
    else if (tt == VM_TSTRING)
        put_string(d, v);
}

static void put_function(wr_t *d, const vm_proto_t *f, plat_ref_t psource)
{
    put_string(d, f->source == psource ? 0 : f->source);
    put_u32(d, (uint32_t)f->linedefined);
    put_u32(d, (uint32_t)f->lastlinedefined);
    put_byte(d, f->nups);
    put_byte(d, f->numparams);
    put_byte(d, f->is_vararg);
    put_byte(d, f->maxstacksize);
    put_u32(d, (uint32_t)f->sizecode);
    pad4(d);
    put(d, VM_P(uint32_t, f->code), 4 * (size_t)f->sizecode);
    put_u32(d, (uint32_t)f->sizek);
    for (int i = 0; i < f->sizek; i++)
        put_constant(d, f, i);
    put_u32(d, (uint32_t)f->sizep);
    for (int i = 0; i < f->sizep; i++)
        put_function(d, VM_P(vm_proto_t, VM_P(plat_ref_t, f->p)[i]),
                     f->source);
    size_t li = f->packedlineinfo
                ? strlen(VM_P(const char, f->packedlineinfo)) + 1 : 0;
    put_u32(d, (uint32_t)li);
    pad4(d);
    put(d, VM_P(const char, f->packedlineinfo), li);
    put_u32(d, (uint32_t)f->sizelocvars);
    for (int i = 0; i < f->sizelocvars; i++) {
        const vm_locvar_t *lv = VM_P(vm_locvar_t, f->locvars) + i;
        put_string(d, lv->varname);
        put_u32(d, (uint32_t)lv->startpc);
        put_u32(d, (uint32_t)lv->endpc);
    }
    put_u32(d, (uint32_t)f->sizeupvalues);
    for (int i = 0; i < f->sizeupvalues; i++)
        put_string(d, VM_P(plat_ref_t, f->upvalues)[i]);
}

int vm_dump(vm_State *L, vm_Writer w, void *ud)
{
    const vm_tvalue_t *o = L_top(L) - 1;
    if (o->tt != VM_TFUNCTION || tv_cl(o)->isC)
        return 1;
    wr_t d = { L, w, ud, 0, 0, G(L)->integral };
    const uint8_t h[12] = {
        0x1B, 'L', 'u', 'a', 0x51, 0, 1, 4, 4, 4,
        (uint8_t)(d.integral ? 4 : 8), (uint8_t)(d.integral ? 1 : 0)
    };
    put(&d, h, sizeof h);
    put_function(&d, cl_proto(tv_cl(o)), 0);
    return d.status;
}
