/*
** vm51_dbg.c: the Lua 5.1 part of the VM's debug information: the
** names lua5.1 gives values in error messages and tracebacks, found by
** following the bytecode up to the failing instruction as ldebug.c's
** symbolic execution does: a local's name only if the Proto kept local
** names, "global 'x'", "field 'y'", "method 'm'", "upvalue 'u'" (or
** "upvalue '?'" when upvalue names were stripped).
** Docs: docs/lfs51.md §3.8 (stripped names). Twin: none; the neutral part
** is firmware/vm/vm_dbg.c. May call: vm_core (vm_func, vm_str, vm_dbg).
*/
#include "firmware/vm/vm_core.h"

/* ---- names ------------------------------------------------------------- */

/* The instruction that last set register reg before lastpc, following
** forward jumps that stay before lastpc (ldebug.c symbexec's 'last'). */
static uint32_t findsetter(const vm_proto_t *p, int lastpc, int reg)
{
    const uint32_t *code = VM_P(const uint32_t, p->code);
    int last = p->sizecode - 1;
    if (lastpc > p->sizecode)
        lastpc = p->sizecode;
    for (int pc = 0; pc < lastpc; pc++) {
        uint32_t i = code[pc];
        int op = LC51_OP(i), a = LC51_A(i);
        if (op >= LC51_NUM_OPCODES)
            break;
        if (LC51_TESTA(op) && a == reg)
            last = pc;
        switch (op) {
        case LC51_LOADNIL:
            if (a <= reg && reg <= LC51_B(i))
                last = pc;
            break;
        case LC51_SELF:
            if (reg == a + 1)
                last = pc;
            break;
        case LC51_TFORLOOP:
            if (reg >= a + 2)
                last = pc;
            break;
        case LC51_FORLOOP:
        case LC51_FORPREP:
        case LC51_JMP: {
            int dest = pc + 1 + LC51_SBX(i);
            if (pc < dest && dest <= lastpc)
                pc += LC51_SBX(i);
            break;
        }
        case LC51_CALL:
        case LC51_TAILCALL:
            if (reg >= a)
                last = pc;
            break;
        case LC51_SETLIST:
            if (LC51_C(i) == 0)
                pc++;
            break;
        case LC51_CLOSURE: {
            int bx = LC51_BX(i);
            if (bx < p->sizep) {
                const plat_ref_t *kids = VM_P(const plat_ref_t, p->p);
                pc += VM_P(vm_proto_t, kids[bx])->nups;
            }
            break;
        }
        default:
            break;
        }
    }
    return code[last];
}

static const char *kname(int integral, const vm_proto_t *p, int c)
{
    const char *s = LC51_ISK(c) ? vm_func_kstr(integral, p, LC51_INDEXK(c))
                                : NULL;
    return s ? s : "?";
}

const char *vm51_dbg_objname(vm_State *L, const vm_callinfo_t *ci,
                             int stackpos, const char **name)
{
    if (!ci_isLua(ci))
        return NULL;
    const vm_proto_t *p = cl_proto(tv_cl(ci_func(ci)));
    int integral = G(L)->integral;
    int pc = vm_dbg_currentpc(L, ci);
    *name = vm_func_localname(p, stackpos + 1, pc);
    if (*name)
        return "local";
    uint32_t i = findsetter(p, pc, stackpos);
    switch (LC51_OP(i)) {
    case LC51_GETGLOBAL:
        *name = vm_func_kstr(integral, p, LC51_BX(i));
        if (!*name)
            *name = "?";
        return "global";
    case LC51_MOVE: {
        int a = LC51_A(i), b = LC51_B(i);
        if (b < a)
            return vm51_dbg_objname(L, ci, b, name);
        break;
    }
    case LC51_GETTABLE:
        *name = kname(integral, p, LC51_C(i));
        return "field";
    case LC51_GETUPVAL: {
        int u = LC51_B(i);
        if (p->upvalues && u < p->sizeupvalues)
            *name = str_data(VM_P(vm_string_t,
                                  VM_P(plat_ref_t, p->upvalues)[u]));
        else
            *name = "?";
        return "upvalue";
    }
    case LC51_SELF:
        *name = kname(integral, p, LC51_C(i));
        return "method";
    default:
        break;
    }
    return NULL;
}

const char *vm51_dbg_funcname(vm_State *L, const vm_callinfo_t *ci,
                              const char **name)
{
    if ((ci_isLua(ci) && ci->tailcalls > 0) || ci == L_baseci(L) ||
        !ci_isLua(ci - 1))
        return NULL;
    ci--;
    const vm_proto_t *p = cl_proto(tv_cl(ci_func(ci)));
    int pc = vm_dbg_currentpc(L, ci);
    if (pc < 0 || pc >= p->sizecode)
        return NULL;
    uint32_t i = VM_P(const uint32_t, p->code)[pc];
    int op = LC51_OP(i);
    if (op == LC51_CALL || op == LC51_TAILCALL || op == LC51_TFORLOOP)
        return vm51_dbg_objname(L, ci, LC51_A(i), name);
    return NULL;
}
