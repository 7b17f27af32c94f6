/*
** vm51_undump.c: loads NodeMCU-format target .lc bytes into RAM Protos
** with the layout of flash Protos (lfs51.md §2.6), so both run through
** the same code: the 12-byte lundump header (number size and integral
** flag must match the VM), then one function record: source, lines, the
** four byte fields, code (count, zero padding to a 4-byte file offset,
** instructions), constants (tag byte, then a boolean byte, an 8-byte
** double or 4-byte int, or a string), children, packed line info (count
** = bytes with the NUL, padding, bytes), local names, upvalue names.
** Every count is checked against the bytes left before anything is
** allocated and nesting is bounded, then the code is verified as lua5.1's
** luaG_checkcode does (registers, constants, jumps, upvalues, the
** instruction a test skips, open calls, CLOSURE's pseudo-instructions,
** SETLIST count words), so hostile bytes give "name: ... in precompiled
** chunk" (VM_ERRSYNTAX), never a crash.
** Spec: lfs51.md §3.9 (packed line info); lfs/lc51.h (the format).
** Twin: lfs/lc51_write.c writes this format. May call: vm_func, vm_str,
** vm_mem, vm_do, vm_err.
*/
#include "firmware/vm/vm_core.h"
#include "firmware/vm51/vm51_op.h"

typedef struct rd {
    vm_State *L;
    const uint8_t *p;
    size_t n, pos;
    const char *name;
    int integral;
    int depth;
} rd_t;

VM_NORETURN static void bad(rd_t *r, const char *why)
{
    vm_str_push(r->L, "%s: %s in precompiled chunk", r->name, why);
    vm_do_throw(r->L, VM_ERRSYNTAX);
}

static const uint8_t *take(rd_t *r, size_t n)
{
    if (n > r->n - r->pos)
        bad(r, "truncated");
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static uint8_t get_byte(rd_t *r)
{
    return *take(r, 1);
}

static uint32_t get_u32(rd_t *r)
{
    const uint8_t *p = take(r, 4);
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int32_t get_int(rd_t *r)
{
    return (int32_t)get_u32(r);
}

/* A count of items of at least min bytes each. */
static int get_count(rd_t *r, size_t min)
{
    int32_t n = get_int(r);
    if (n < 0 || (size_t)n > (r->n - r->pos) / (min ? min : 1))
        bad(r, n < 0 ? "bad integer" : "truncated");
    return n;
}

static void align4(rd_t *r)
{
    while (r->pos & 3)
        take(r, 1);
}

/* A string (NULL if absent), interned. */
static vm_string_t *get_string(rd_t *r)
{
    uint32_t n = get_u32(r);
    if (n == 0)
        return NULL;
    const uint8_t *s = take(r, n);
    if (s[n - 1] != 0)
        bad(r, "bad string");
    return vm_str_new(r->L, (const char *)s, n - 1);
}

static void verify(rd_t *r, vm_proto_t *f);

static vm_proto_t *load_function(rd_t *r, plat_ref_t psource)
{
    vm_State *L = r->L;
    if (++r->depth > VM_MAXCCALLS)
        bad(r, "code too deep");
    vm_do_checkstack(L, 2);
    vm_proto_t *f = vm_func_newproto(L);
    vm_tvalue_t *slot = L_top(L);
    tv_setobj(f, slot, VM_TPROTO);
    L_incrtop(L);
    vm_string_t *src = get_string(r);
    f->source = src ? plat_ref(src) : psource;
    f->linedefined = get_int(r);
    f->lastlinedefined = get_int(r);
    f->nups = get_byte(r);
    f->numparams = get_byte(r);
    f->is_vararg = get_byte(r);
    f->maxstacksize = get_byte(r);
    /* code */
    int n = get_count(r, 4);
    align4(r);
    const uint8_t *code = take(r, 4 * (size_t)n);
    if (n == 0)
        bad(r, "bad code");
    uint32_t *c = vm_mem_alloc(L, 4 * (size_t)n);
    memcpy(c, code, 4 * (size_t)n);
    f->code = plat_ref(c);
    f->sizecode = n;
    /* constants */
    n = get_count(r, 1);
    size_t ksize = r->integral ? sizeof(vm_kvalue8_t) : sizeof(vm_tvalue_t);
    if (n > 0) {
        uint8_t *kv = vm_mem_alloc(L, ksize * (size_t)n);
        memset(kv, 0, ksize * (size_t)n);
        f->k = plat_ref(kv);
        f->sizek = n;
    }
    for (int i = 0; i < n; i++) {
        int t = get_byte(r);
        uint32_t tt = VM_TNIL, v = 0;
        double d = 0;
        switch (t) {
        case VM_TNIL:
            break;
        case VM_TBOOLEAN:
            tt = VM_TBOOLEAN;
            v = get_byte(r) != 0;
            break;
        case VM_TNUMBER:
            tt = VM_TNUMBER;
            if (r->integral) {
                v = get_u32(r);
            } else {
                const uint8_t *p = take(r, 8);
                memcpy(&d, p, 8);
            }
            break;
        case VM_TSTRING: {
            vm_string_t *s = get_string(r);
            if (!s)
                bad(r, "bad constant");
            tt = VM_TSTRING;
            v = plat_ref(s);
            break;
        }
        default:
            bad(r, "bad constant");
        }
        if (r->integral) {
            vm_kvalue8_t *k = VM_P(vm_kvalue8_t, f->k) + i;
            k->v = v;
            k->tt = tt;
        } else {
            vm_tvalue_t *k = VM_P(vm_tvalue_t, f->k) + i;
            if (tt == VM_TNUMBER)
                tv_setnum(k, d);
            else if (tt == VM_TBOOLEAN)
                tv_setbool(k, (int)v);
            else
                tv_setref(k, v, tt);
        }
    }
    /* children */
    n = get_count(r, 1);
    if (n > 0) {
        plat_ref_t *pv = vm_mem_alloc(L, 4 * (size_t)n);
        memset(pv, 0, 4 * (size_t)n);
        f->p = plat_ref(pv);
        f->sizep = n;
        for (int i = 0; i < n; i++) {
            vm_proto_t *child = load_function(r, f->source);
            VM_P(plat_ref_t, f->p)[i] = plat_ref(child);
            L->top -= sizeof(vm_tvalue_t);
        }
    }
    /* packed line info */
    n = get_count(r, 1);
    align4(r);
    if (n > 0) {
        const uint8_t *b = take(r, (size_t)n);
        if (b[n - 1] != 0)
            bad(r, "bad line info");
        uint8_t *li = vm_mem_alloc(L, (size_t)n);
        memcpy(li, b, (size_t)n);
        f->packedlineinfo = plat_ref(li);
    }
    /* local names */
    n = get_count(r, 12);
    if (n > 0) {
        vm_locvar_t *lv = vm_mem_alloc(L, sizeof(vm_locvar_t) * (size_t)n);
        memset(lv, 0, sizeof(vm_locvar_t) * (size_t)n);
        f->locvars = plat_ref(lv);
        for (int i = 0; i < n; i++) {
            vm_string_t *s = get_string(r);
            if (!s)
                bad(r, "bad local name");
            lv = VM_P(vm_locvar_t, f->locvars);
            lv[i].varname = plat_ref(s);
            lv[i].startpc = get_int(r);
            lv[i].endpc = get_int(r);
            f->sizelocvars = i + 1;
        }
    }
    /* upvalue names */
    n = get_count(r, 4);
    if (n != 0 && n != f->nups)
        bad(r, "bad upvalue names");
    if (n > 0) {
        plat_ref_t *uv = vm_mem_alloc(L, 4 * (size_t)n);
        memset(uv, 0, 4 * (size_t)n);
        f->upvalues = plat_ref(uv);
        for (int i = 0; i < n; i++) {
            vm_string_t *s = get_string(r);
            if (!s)
                bad(r, "bad upvalue name");
            VM_P(plat_ref_t, f->upvalues)[i] = plat_ref(s);
            f->sizeupvalues = i + 1;
        }
    }
    verify(r, f);
    r->depth--;
    return f;
}

/* ---- code verification (lua5.1 luaG_checkcode) ------------------------- */

#define CHECK(c) do { if (!(c)) bad(r, "bad code"); } while (0)

static int argok(const vm_proto_t *f, int v, int mode)
{
    switch (mode) {
    case VM51_ARGN:
        return v == 0;
    case VM51_ARGR:
        return v < f->maxstacksize;
    case VM51_ARGK:
        return VM51_ISK(v) ? VM51_INDEXK(v) < f->sizek
                           : v < f->maxstacksize;
    default:
        return 1;
    }
}

static void verify(rd_t *r, vm_proto_t *f)
{
    const uint32_t *code = VM_P(const uint32_t, f->code);
    int n = f->sizecode, maxs = f->maxstacksize;
    CHECK(maxs <= VM51_MAXSTACK);
    CHECK(f->numparams + (f->is_vararg & VM_VARARG_HASARG) <= maxs);
    CHECK(!(f->is_vararg & VM_VARARG_NEEDSARG) ||
          (f->is_vararg & VM_VARARG_HASARG));
    CHECK(f->nups <= VM_MAXUPVALUES);
    CHECK(VM51_OP(code[n - 1]) == VM51_RETURN);
    /* SETLIST count words are data, not instructions */
    uint8_t *data = vm_mem_alloc(r->L, (size_t)n);
    memset(data, 0, (size_t)n);
    for (int pc = 0; pc < n; pc++)
        if (VM51_OP(code[pc]) == VM51_SETLIST && VM51_C(code[pc]) == 0 &&
            pc + 1 < n)
            data[++pc] = 1;
    int ok = 1;
#undef CHECK
#define CHECK(c) do { if (!(c)) { ok = 0; goto done; } } while (0)
    for (int pc = 0; pc < n; pc++) {
        if (data[pc])
            continue;
        uint32_t i = code[pc];
        int op = VM51_OP(i), a = VM51_A(i), b = VM51_B(i), c = VM51_C(i);
        CHECK(op < VM51_NUM_OPCODES);
        CHECK(a < maxs);
        switch (VM51_FORMAT(op)) {
        case VM51_IABC:
            CHECK(argok(f, b, VM51_BMODE(op)));
            CHECK(argok(f, c, VM51_CMODE(op)));
            break;
        case VM51_IABX:
            b = VM51_BX(i);
            if (VM51_BMODE(op) == VM51_ARGK)
                CHECK(b < f->sizek);
            break;
        default: {
            b = VM51_SBX(i);
            int dest = pc + 1 + b;
            CHECK(dest >= 0 && dest < n && !data[dest]);
            break;
        }
        }
        if (VM51_TESTT(op)) {
            CHECK(pc + 2 < n);
            CHECK(VM51_OP(code[pc + 1]) == VM51_JMP && !data[pc + 1]);
        }
        switch (op) {
        case VM51_LOADBOOL:
            if (c)
                CHECK(pc + 2 < n && !data[pc + 2]);
            break;
        case VM51_GETUPVAL:
        case VM51_SETUPVAL:
            CHECK(b < f->nups);
            break;
        case VM51_GETGLOBAL:
        case VM51_SETGLOBAL: {
            vm_tvalue_t kv;
            vm_func_kget(r->integral, f, b, &kv);
            CHECK(kv.tt == VM_TSTRING);
            break;
        }
        case VM51_SELF:
            CHECK(a + 1 < maxs);
            break;
        case VM51_CONCAT:
            CHECK(b < c);
            break;
        case VM51_TFORLOOP:
            CHECK(c >= 1 && a + 2 + c < maxs);
            break;
        case VM51_FORLOOP:
        case VM51_FORPREP:
            CHECK(a + 3 < maxs);
            break;
        case VM51_CALL:
        case VM51_TAILCALL:
            if (b != 0)
                CHECK(a + b - 1 < maxs);
            if (c == 0) {
                CHECK(pc + 1 < n);
                uint32_t ni = code[pc + 1];
                int nop = VM51_OP(ni);
                CHECK((nop == VM51_CALL || nop == VM51_TAILCALL ||
                       nop == VM51_RETURN || nop == VM51_SETLIST) &&
                      VM51_B(ni) == 0);
            } else if (c - 1 != 0) {
                CHECK(a + c - 2 < maxs);
            }
            break;
        case VM51_RETURN:
            if (b - 1 > 0)
                CHECK(a + b - 2 < maxs);
            break;
        case VM51_SETLIST:
            if (b > 0)
                CHECK(a + b < maxs);
            if (c == 0) {
                CHECK(pc + 1 < n - 1);
                pc++;
            }
            break;
        case VM51_CLOSURE: {
            b = VM51_BX(i);
            CHECK(b < f->sizep);
            vm_proto_t *child = VM_P(vm_proto_t, VM_P(plat_ref_t, f->p)[b]);
            int nup = child->nups;
            CHECK(pc + nup < n);
            for (int j = 1; j <= nup; j++) {
                uint32_t pi = code[pc + j];
                int pop = VM51_OP(pi);
                CHECK(!data[pc + j]);
                if (pop == VM51_GETUPVAL)
                    CHECK(VM51_B(pi) < f->nups);
                else
                    CHECK(pop == VM51_MOVE && VM51_B(pi) < maxs);
            }
            break;
        }
        case VM51_VARARG:
            CHECK((f->is_vararg & VM_VARARG_ISVARARG) &&
                  !(f->is_vararg & VM_VARARG_NEEDSARG));
            if (b == 0) {
                CHECK(pc + 1 < n);
                uint32_t ni = code[pc + 1];
                int nop = VM51_OP(ni);
                CHECK((nop == VM51_CALL || nop == VM51_TAILCALL ||
                       nop == VM51_RETURN || nop == VM51_SETLIST) &&
                      VM51_B(ni) == 0);
            } else {
                CHECK(a + b - 2 < maxs);
            }
            break;
        default:
            break;
        }
    }
done:
    vm_mem_free(data);
    if (!ok)
        bad(r, "bad code");
}

vm_proto_t *vm51_undump(vm_State *L, const uint8_t *buf, size_t n,
                        const char *name)
{
    rd_t r;
    r.L = L;
    r.p = buf;
    r.n = n;
    r.pos = 0;
    r.integral = G(L)->integral;
    r.depth = 0;
    if (*name == '@' || *name == '=')
        r.name = name + 1;
    else if (*name == '\033')
        r.name = "binary string";
    else
        r.name = name;
    const uint8_t *h = take(&r, 12);
    const uint8_t want[12] = {
        0x1B, 'L', 'u', 'a', 0x51, 0, 1, 4, 4, 4,
        (uint8_t)(r.integral ? 4 : 8), (uint8_t)(r.integral ? 1 : 0)
    };
    if (memcmp(h, want, 12) != 0)
        bad(&r, "bad header");
    vm_string_t *q = vm_str_new(L, "=?", 2);
    vm_do_checkstack(L, 1);
    tv_setobj(q, L_top(L), VM_TSTRING);
    L_incrtop(L);
    vm_proto_t *f = load_function(&r, plat_ref(q));
    if (r.pos != r.n)
        bad(&r, "bad trailing bytes");
    /* drop the "=?" anchor below the Proto */
    *(L_top(L) - 2) = *(L_top(L) - 1);
    L->top -= sizeof(vm_tvalue_t);
    return f;
}
