/*
** vm51_dbg.c: the Lua 5.1 part of the VM's debug information: the
** instruction set's operand modes (vm51_opmodes, vm51_op.h) and the
** names lua5.1 gives values in error messages and tracebacks, found by
** following the bytecode up to the failing instruction as ldebug.c's
** symbolic execution does: a local's name only if the Proto kept local
** names, "global 'x'", "field 'y'", "method 'm'", "upvalue 'u'" (or
** "upvalue '?'" when upvalue names were stripped).
** Docs: docs/lfs51.md §3.8 (stripped names). Twin: none; the neutral part
** is firmware/vm/vm_dbg.c. May call: vm_core (vm_func, vm_str, vm_dbg).
*/
#include "firmware/vm/vm_core.h"
#include "firmware/vm51/vm51_op.h"

/* 5.1's operand modes: T A B C format (lopcodes.c values). */
#define M(t, a, b, c, f) (uint8_t)((t) << 7 | (a) << 6 | (b) << 4 | \
                                   (c) << 2 | (f))
#define N_ VM51_ARGN
#define U_ VM51_ARGU
#define R_ VM51_ARGR
#define K_ VM51_ARGK
const uint8_t vm51_opmodes[VM51_NUM_OPCODES] = {
    M(0, 1, R_, N_, VM51_IABC),   /* MOVE      */
    M(0, 1, K_, N_, VM51_IABX),   /* LOADK     */
    M(0, 1, U_, U_, VM51_IABC),   /* LOADBOOL  */
    M(0, 1, R_, N_, VM51_IABC),   /* LOADNIL   */
    M(0, 1, U_, N_, VM51_IABC),   /* GETUPVAL  */
    M(0, 1, K_, N_, VM51_IABX),   /* GETGLOBAL */
    M(0, 1, R_, K_, VM51_IABC),   /* GETTABLE  */
    M(0, 0, K_, N_, VM51_IABX),   /* SETGLOBAL */
    M(0, 0, U_, N_, VM51_IABC),   /* SETUPVAL  */
    M(0, 0, K_, K_, VM51_IABC),   /* SETTABLE  */
    M(0, 1, U_, U_, VM51_IABC),   /* NEWTABLE  */
    M(0, 1, R_, K_, VM51_IABC),   /* SELF      */
    M(0, 1, K_, K_, VM51_IABC),   /* ADD       */
    M(0, 1, K_, K_, VM51_IABC),   /* SUB       */
    M(0, 1, K_, K_, VM51_IABC),   /* MUL       */
    M(0, 1, K_, K_, VM51_IABC),   /* DIV       */
    M(0, 1, K_, K_, VM51_IABC),   /* MOD       */
    M(0, 1, K_, K_, VM51_IABC),   /* POW       */
    M(0, 1, R_, N_, VM51_IABC),   /* UNM       */
    M(0, 1, R_, N_, VM51_IABC),   /* NOT       */
    M(0, 1, R_, N_, VM51_IABC),   /* LEN       */
    M(0, 1, R_, R_, VM51_IABC),   /* CONCAT    */
    M(0, 0, R_, N_, VM51_IASBX),  /* JMP       */
    M(1, 0, K_, K_, VM51_IABC),   /* EQ        */
    M(1, 0, K_, K_, VM51_IABC),   /* LT        */
    M(1, 0, K_, K_, VM51_IABC),   /* LE        */
    M(1, 1, R_, U_, VM51_IABC),   /* TEST      */
    M(1, 1, R_, U_, VM51_IABC),   /* TESTSET   */
    M(0, 1, U_, U_, VM51_IABC),   /* CALL      */
    M(0, 1, U_, U_, VM51_IABC),   /* TAILCALL  */
    M(0, 0, U_, N_, VM51_IABC),   /* RETURN    */
    M(0, 1, R_, N_, VM51_IASBX),  /* FORLOOP   */
    M(0, 1, R_, N_, VM51_IASBX),  /* FORPREP   */
    M(1, 0, N_, U_, VM51_IABC),   /* TFORLOOP  */
    M(0, 0, U_, U_, VM51_IABC),   /* SETLIST   */
    M(0, 0, N_, N_, VM51_IABC),   /* CLOSE     */
    M(0, 1, U_, N_, VM51_IABX),   /* CLOSURE   */
    M(0, 1, U_, N_, VM51_IABC),   /* VARARG    */
};

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
        int op = VM51_OP(i), a = VM51_A(i);
        if (op >= VM51_NUM_OPCODES)
            break;
        if (VM51_TESTA(op) && a == reg)
            last = pc;
        switch (op) {
        case VM51_LOADNIL:
            if (a <= reg && reg <= VM51_B(i))
                last = pc;
            break;
        case VM51_SELF:
            if (reg == a + 1)
                last = pc;
            break;
        case VM51_TFORLOOP:
            if (reg >= a + 2)
                last = pc;
            break;
        case VM51_FORLOOP:
        case VM51_FORPREP:
        case VM51_JMP: {
            int dest = pc + 1 + VM51_SBX(i);
            if (pc < dest && dest <= lastpc)
                pc += VM51_SBX(i);
            break;
        }
        case VM51_CALL:
        case VM51_TAILCALL:
            if (reg >= a)
                last = pc;
            break;
        case VM51_SETLIST:
            if (VM51_C(i) == 0)
                pc++;
            break;
        case VM51_CLOSURE: {
            int bx = VM51_BX(i);
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
    const char *s = VM51_ISK(c) ? vm_func_kstr(integral, p, VM51_INDEXK(c))
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
    switch (VM51_OP(i)) {
    case VM51_GETGLOBAL:
        *name = vm_func_kstr(integral, p, VM51_BX(i));
        if (!*name)
            *name = "?";
        return "global";
    case VM51_MOVE: {
        int a = VM51_A(i), b = VM51_B(i);
        if (b < a)
            return vm51_dbg_objname(L, ci, b, name);
        break;
    }
    case VM51_GETTABLE:
        *name = kname(integral, p, VM51_C(i));
        return "field";
    case VM51_GETUPVAL: {
        int u = VM51_B(i);
        if (p->upvalues && u < p->sizeupvalues)
            *name = str_data(VM_P(vm_string_t,
                                  VM_P(plat_ref_t, p->upvalues)[u]));
        else
            *name = "?";
        return "upvalue";
    }
    case VM51_SELF:
        *name = kname(integral, p, VM51_C(i));
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
    int op = VM51_OP(i);
    if (op == VM51_CALL || op == VM51_TAILCALL || op == VM51_TFORLOOP)
        return vm51_dbg_objname(L, ci, VM51_A(i), name);
    return NULL;
}
