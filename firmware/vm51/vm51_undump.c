/*
** vm51_undump.c: loads NodeMCU-format target .lc bytes into RAM Protos
** with the layout of flash Protos (docs/lfs51.md §2.6), so both run through
** the same code. lfs/lc51_walk.c walks the bytes (the 12-byte lundump
** header, whose number size and integral flag must match the VM, then the
** function records) and checks every count against the bytes left and
** the nesting; the callbacks here build each Proto from the parts it
** hands over, anchored on the stack while it is built. Each finished
** record's code is verified as lua5.1's luaG_checkcode does, by the check
** LFS images share (lfs/lc51_code.c), so hostile bytes give "name: ...
** in precompiled chunk" (VM_ERRSYNTAX), never a crash.
** Spec: docs/lfs51.md §3.9 (packed line info); lfs/lc51.h (the format).
** Twin: vm51_dump.c writes this format through the same walk. May call:
** lc51_walk, lc51_code, vm_func, vm_str, vm_mem, vm_do, vm_err.
*/
#include "firmware/vm/vm_core.h"

typedef struct rd {
    vm_State *L;
    lc51_walk_t w;
    const char *name;
    plat_ref_t psource;     /* "=?": the main function's parent source */
    int integral;
} rd_t;

/* lua5.1's bounds: VM_MAXCCALLS nested records counting the main one,
** 12 bytes for a local record, names present; padding is not checked. */
static const lc51_rules_t rules = { VM_MAXCCALLS - 1, 12, 0, 1 };

VM_NORETURN static void bad(rd_t *r, const char *why)
{
    vm_str_push(r->L, "%s: %s in precompiled chunk", r->name, why);
    vm_do_throw(r->L, VM_ERRSYNTAX);
}

/* The walk's fault in lundump.c's words. */
VM_NORETURN static void fault(rd_t *r)
{
    const lc51_fault_t *f = &r->w.fault;
    switch (r->w.err) {
    case LC51_ETRUNC:
    case LC51_ESTRLEN:
        bad(r, "truncated");
    case LC51_ECOUNT:
        bad(r, (int32_t)f->a < 0 ? "bad integer" : "truncated");
    case LC51_ENUL:
        bad(r, "bad string");
    case LC51_EDEEP:
        bad(r, "code too deep");
    case LC51_ENOCODE:
        bad(r, "bad code");
    case LC51_EKTYPE:
    case LC51_EKNULL:
        bad(r, "bad constant");
    case LC51_ELINES:
        bad(r, "bad line info");
    case LC51_ENAME:
        bad(r, f->field == LC51_FLOCNAME ? "bad local name"
                                         : "bad upvalue name");
    case LC51_ENUPNAMES:
        bad(r, "bad upvalue names");
    case LC51_ETRAIL:
        bad(r, "bad trailing bytes");
    default: /* the header's (EPAD, ENLINES do not arise under these) */
        bad(r, "bad header");
    }
}

static vm_string_t *string(rd_t *r, lc51_str_t s)
{
    return vm_str_new(r->L, s.p, s.len);
}

static int on_func(void *ud, void *parent, const lc51_func_t *fn, void **out)
{
    rd_t *r = ud;
    vm_State *L = r->L;
    vm_do_checkstack(L, 2);
    vm_proto_t *f = vm_func_newproto(L);
    tv_setobj(f, L_top(L), VM_TPROTO);
    L_incrtop(L);
    if (fn->source.p)
        f->source = plat_ref(string(r, fn->source));
    else
        f->source = parent ? ((vm_proto_t *)parent)->source : r->psource;
    LC51_COPY_FIXED(f, fn);
    *out = f;
    return 0;
}

static int on_code(void *ud, void *fp, const uint8_t *p, int32_t n)
{
    rd_t *r = ud;
    vm_proto_t *f = fp;
    uint32_t *c = vm_mem_alloc(r->L, 4 * (size_t)n);
    memcpy(c, p, 4 * (size_t)n);
    f->code = plat_ref(c);
    f->sizecode = n;
    return 0;
}

/* A zeroed vector of n elements of size bytes; 0 if n is 0. */
static plat_ref_t vector(rd_t *r, int32_t n, size_t size)
{
    if (n == 0)
        return 0;
    void *v = vm_mem_alloc(r->L, size * (size_t)n);
    memset(v, 0, size * (size_t)n);
    return plat_ref(v);
}

static int on_count(void *ud, void *fp, lc51_vec_t v, int32_t n)
{
    rd_t *r = ud;
    vm_proto_t *f = fp;
    switch (v) {
    case LC51_VK:
        f->k = vector(r, n, r->integral ? sizeof(vm_kvalue8_t)
                                        : sizeof(vm_tvalue_t));
        f->sizek = n;
        break;
    case LC51_VP:
        f->p = vector(r, n, sizeof(plat_ref_t));
        f->sizep = n;
        break;
    case LC51_VLOC:
        f->locvars = vector(r, n, sizeof(vm_locvar_t));
        break;
    default:
        f->upvalues = vector(r, n, sizeof(plat_ref_t));
    }
    return 0;
}

_Static_assert(LC51_TNIL == VM_TNIL && LC51_TBOOLEAN == VM_TBOOLEAN &&
               LC51_TNUMBER == VM_TNUMBER && LC51_TSTRING == VM_TSTRING,
               "constant tags are the VM's");

static int on_constant(void *ud, void *fp, int32_t i, const lc51_const_t *c)
{
    rd_t *r = ud;
    vm_proto_t *f = fp;
    uint32_t tt = c->type, v = 0;
    if (tt == VM_TBOOLEAN)
        v = c->b;
    else if (tt == VM_TNUMBER)
        v = (uint32_t)c->i;
    else if (tt == VM_TSTRING)
        v = plat_ref(string(r, c->s));
    if (r->integral) {
        vm_kvalue8_t *k = VM_P(vm_kvalue8_t, f->k) + i;
        k->v = v;
        k->tt = tt;
    } else {
        vm_tvalue_t *k = VM_P(vm_tvalue_t, f->k) + i;
        if (tt == VM_TNUMBER)
            tv_setnum(k, c->n);
        else if (tt == VM_TBOOLEAN)
            tv_setbool(k, (int)v);
        else
            tv_setref(k, v, tt);
    }
    return 0;
}

static int on_child(void *ud, void *fp, int32_t i, void *c)
{
    rd_t *r = ud;
    VM_P(plat_ref_t, ((vm_proto_t *)fp)->p)[i] = plat_ref(c);
    r->L->top -= sizeof(vm_tvalue_t);
    return 0;
}

static int on_lines(void *ud, void *fp, const uint8_t *p, int32_t n)
{
    rd_t *r = ud;
    uint8_t *li = vm_mem_alloc(r->L, (size_t)n);
    memcpy(li, p, (size_t)n);
    ((vm_proto_t *)fp)->packedlineinfo = plat_ref(li);
    return 0;
}

static int on_local(void *ud, void *fp, int32_t i, const lc51_local_t *lv)
{
    vm_proto_t *f = fp;
    vm_string_t *s = string(ud, lv->name);
    vm_locvar_t *l = VM_P(vm_locvar_t, f->locvars) + i;
    l->varname = plat_ref(s);
    l->startpc = lv->startpc;
    l->endpc = lv->endpc;
    f->sizelocvars = i + 1;
    return 0;
}

static int on_upvalue(void *ud, void *fp, int32_t i, lc51_str_t name)
{
    vm_proto_t *f = fp;
    vm_string_t *s = string(ud, name);
    VM_P(plat_ref_t, f->upvalues)[i] = plat_ref(s);
    f->sizeupvalues = i + 1;
    return 0;
}

static void verify(rd_t *r, vm_proto_t *f);

static int on_end(void *ud, void *f)
{
    verify(ud, f);
    return 0;
}

static const lc51_visit_t visit = {
    on_func, on_code, on_count, on_constant, on_child, on_lines, on_local,
    on_upvalue, on_end
};

/* ---- code verification (lc51_code_check) -------------------------------- */

typedef struct fnsrc {
    const vm_proto_t *f;
    int integral;
} fnsrc_t;

static uint32_t src_instr(const void *ud, int32_t pc)
{
    return VM_P(const uint32_t, ((const fnsrc_t *)ud)->f->code)[pc];
}

static int src_ktype(const void *ud, int32_t i)
{
    const fnsrc_t *s = ud;
    vm_tvalue_t kv;
    vm_func_kget(s->integral, s->f, i, &kv);
    return (int)kv.tt;
}

static int src_childnups(const void *ud, int32_t i)
{
    const vm_proto_t *f = ((const fnsrc_t *)ud)->f;
    return VM_P(vm_proto_t, VM_P(plat_ref_t, f->p)[i])->nups;
}

static void verify(rd_t *r, vm_proto_t *f)
{
    fnsrc_t s = { f, r->integral };
    lc51_code_t c = {
        f->sizecode, f->sizek, f->sizep, f->nups, f->numparams,
        f->is_vararg, f->maxstacksize, &s, src_instr, src_ktype,
        src_childnups
    };
    int32_t pc;
    if (lc51_code_check(&c, &pc) != LC51_CODE_OK)
        bad(r, "bad code");
}

vm_proto_t *vm51_undump(vm_State *L, const uint8_t *buf, size_t n,
                        const char *name)
{
    rd_t r;
    void *f;
    r.L = L;
    r.integral = G(L)->integral;
    if (*name == '@' || *name == '=')
        r.name = name + 1;
    else if (*name == '\033')
        r.name = "binary string";
    else
        r.name = name;
    if (lc51_walk_open(&r.w, buf, n, LC51_NODEMCU, &rules))
        fault(&r);
    if (r.w.h.integral != r.integral)
        bad(&r, "bad header");
    vm_string_t *q = vm_str_new(L, "=?", 2);
    vm_do_checkstack(L, 1);
    tv_setobj(q, L_top(L), VM_TSTRING);
    L_incrtop(L);
    r.psource = plat_ref(q);
    if (lc51_walk_read(&r.w, &visit, &r, &f))
        fault(&r);
    /* drop the "=?" anchor below the Proto */
    *(L_top(L) - 2) = *(L_top(L) - 1);
    L->top -= sizeof(vm_tvalue_t);
    return f;
}
