/*
** vm_dbg.c: debug information: source lines from NodeMCU's packed line
** info, "chunk:line:" positions, and the debug API of vm.h (vm_getstack,
** vm_getinfo with "nSluf", locals, upvalues). The names of values and
** functions come from the dialect (vm51_dbg_objname, vm51_dbg_funcname),
** which reads the instructions.
** Spec: docs/lfs51.md §3.9 (packed line info), §3.8 (stripped names).
** Twin: none. May call: vm_func, vm_str, vm_api (stack indices), the
** dialect's entry points (vm_core.h).
*/
#include "firmware/vm/vm_core.h"

#include <stdio.h>

/* ---- lines ------------------------------------------------------------- */

static int lineof(const vm_proto_t *p, int pc)
{
    if (!p->packedlineinfo || pc < 0)
        return 0;
    const uint8_t *b = VM_P(const uint8_t, p->packedlineinfo);
    int line = 0, n = 0;
    for (;;) {
        uint32_t c = *b;
        if (c == 0 || c == 0x7F)
            return line;
        if (c & 0x80) {
            uint32_t m = c & 0x3F;
            int neg = c & 0x40, shift = 6;
            b++;
            while (*b & 0x80) {
                if (shift < 32)
                    m += (uint32_t)(*b & 0x7F) << shift;
                shift += 7;
                b++;
            }
            line = neg ? line - (int)m : line + (int)m + 2;
        } else {
            line++;
        }
        int count = *b;
        if (count == 0)
            return line;
        b++;
        if (pc < n + count)
            return line;
        n += count;
    }
}

int vm_dbg_currentpc(vm_State *L, const vm_callinfo_t *ci)
{
    if (!ci_isLua(ci))
        return -1;
    plat_ref_t pc = ci == L_ci(L) ? L->savedpc : ci->savedpc;
    const vm_proto_t *p = cl_proto(tv_cl(ci_func(ci)));
    return (int)((pc - p->code) / 4) - 1;
}

static int lineofci(vm_State *L, const vm_callinfo_t *ci)
{
    int pc = vm_dbg_currentpc(L, ci);
    if (pc < 0)
        return -1;
    return lineof(cl_proto(tv_cl(ci_func(ci))), pc);
}

void vm_dbg_where(vm_State *L, const vm_callinfo_t *ci, char *buf, size_t n)
{
    char src[VM_IDSIZE];
    const vm_proto_t *p = cl_proto(tv_cl(ci_func(ci)));
    vm_str_chunkid(src, p->source ? str_data(VM_P(vm_string_t, p->source))
                                  : "=?", VM_IDSIZE);
    snprintf(buf, n, "%s:%d: ", src, lineofci(L, ci));
}

/* ---- the debug API ----------------------------------------------------- */

int vm_getstack(vm_State *L, int level, vm_Debug *ar)
{
    vm_callinfo_t *ci, *base = L_baseci(L);
    for (ci = L_ci(L); level > 0 && ci > base; ci--) {
        level--;
        if (ci_isLua(ci))
            level -= ci->tailcalls;
    }
    if (level == 0 && ci > base) {
        ar->i_ci = (int)(ci - base);
        return 1;
    }
    if (level < 0) {
        ar->i_ci = 0;
        return 1;
    }
    return 0;
}

static void funcinfo(vm_Debug *ar, const vm_tvalue_t *f)
{
    if (f->tt != VM_TFUNCTION || tv_cl(f)->isC) {
        ar->source = "=[C]";
        ar->linedefined = -1;
        ar->lastlinedefined = -1;
        ar->what = "C";
    } else {
        const vm_proto_t *p = cl_proto(tv_cl(f));
        ar->source = p->source ? str_data(VM_P(vm_string_t, p->source))
                               : "=?";
        ar->linedefined = p->linedefined;
        ar->lastlinedefined = p->lastlinedefined;
        ar->what = p->linedefined == 0 ? "main" : "Lua";
    }
    vm_str_chunkid(ar->short_src, ar->source, VM_IDSIZE);
}

static void tailinfo(vm_Debug *ar)
{
    ar->name = ar->namewhat = "";
    ar->what = "tail";
    ar->lastlinedefined = ar->linedefined = ar->currentline = -1;
    ar->source = "=(tail call)";
    vm_str_chunkid(ar->short_src, ar->source, VM_IDSIZE);
    ar->nups = 0;
}

int vm_getinfo(vm_State *L, const char *what, vm_Debug *ar)
{
    vm_tvalue_t fv;
    vm_callinfo_t *ci = NULL;
    int havef = 1, status = 1;
    if (*what == '>') {
        fv = *(L_top(L) - 1);
        L->top -= sizeof(vm_tvalue_t);
        what++;
        if (VM_BASETYPE(fv.tt) != VM_TFUNCTION)
            return 0;
    } else if (ar->i_ci != 0) {
        ci = L_baseci(L) + ar->i_ci;
        fv = *ci_func(ci);
    } else {
        havef = 0;
        tv_setnil(&fv);
    }
    if (!havef) {
        tailinfo(ar);
    }
    for (const char *w = what; *w; w++) {
        switch (*w) {
        case 'S':
            if (havef)
                funcinfo(ar, &fv);
            break;
        case 'l':
            ar->currentline = ci ? lineofci(L, ci) : -1;
            break;
        case 'u':
            ar->nups = (havef && fv.tt == VM_TFUNCTION)
                           ? tv_cl(&fv)->nupvalues : 0;
            break;
        case 'n':
            ar->namewhat = ci ? vm51_dbg_funcname(L, ci, &ar->name) : NULL;
            if (!ar->namewhat) {
                ar->namewhat = "";
                ar->name = NULL;
            }
            break;
        case 'L':
        case 'f':
            break;
        default:
            status = 0;
        }
    }
    if (strchr(what, 'f')) {
        vm_do_checkstack(L, 1);
        *L_top(L) = fv;
        L_incrtop(L);
    }
    if (strchr(what, 'L')) {
        vm_do_checkstack(L, 1);
        tv_setnil(L_top(L));
        L_incrtop(L);
    }
    return status;
}

static const char *findlocal(vm_State *L, vm_callinfo_t *ci, int n)
{
    if (ci_isLua(ci)) {
        const vm_proto_t *p = cl_proto(tv_cl(ci_func(ci)));
        const char *name = vm_func_localname(p, n, vm_dbg_currentpc(L, ci));
        if (name)
            return name;
    }
    vm_tvalue_t *limit = ci == L_ci(L) ? L_top(L) : ci_func(ci + 1);
    if (limit - ci_base(ci) >= n && n > 0)
        return "(*temporary)";
    return NULL;
}

const char *vm_getlocal(vm_State *L, const vm_Debug *ar, int n)
{
    vm_callinfo_t *ci = L_baseci(L) + ar->i_ci;
    const char *name = findlocal(L, ci, n);
    if (name) {
        vm_do_checkstack(L, 1);
        ci = L_baseci(L) + ar->i_ci;
        *L_top(L) = ci_base(ci)[n - 1];
        L_incrtop(L);
    }
    return name;
}

const char *vm_setlocal(vm_State *L, const vm_Debug *ar, int n)
{
    vm_callinfo_t *ci = L_baseci(L) + ar->i_ci;
    const char *name = findlocal(L, ci, n);
    L->top -= sizeof(vm_tvalue_t);
    if (name)
        ci_base(ci)[n - 1] = *L_top(L);
    return name;
}

static const char *aux_upvalue(const vm_tvalue_t *fi, int n,
                               vm_tvalue_t **val)
{
    if (fi->tt != VM_TFUNCTION)
        return NULL;
    vm_closure_t *f = tv_cl(fi);
    if (f->isC) {
        if (!(1 <= n && n <= f->nupvalues))
            return NULL;
        *val = &f->u.c.upvalue[n - 1];
        return "";
    }
    const vm_proto_t *p = cl_proto(f);
    if (!(1 <= n && n <= p->sizeupvalues) || n > f->nupvalues)
        return NULL;
    *val = VM_P(vm_tvalue_t, VM_P(vm_upval_t, f->u.l.upvals[n - 1])->v);
    return str_data(VM_P(vm_string_t, VM_P(plat_ref_t, p->upvalues)[n - 1]));
}

const char *vm_getupvalue(vm_State *L, int funcindex, int n)
{
    vm_tvalue_t *val = NULL;
    const char *name = aux_upvalue(vm_api_index(L, funcindex), n, &val);
    if (name) {
        vm_tvalue_t v = *val;
        vm_do_checkstack(L, 1);
        *L_top(L) = v;
        L_incrtop(L);
    }
    return name;
}

const char *vm_setupvalue(vm_State *L, int funcindex, int n)
{
    vm_tvalue_t *val = NULL;
    const char *name = aux_upvalue(vm_api_index(L, funcindex), n, &val);
    if (name) {
        L->top -= sizeof(vm_tvalue_t);
        *val = *L_top(L);
    }
    return name;
}
