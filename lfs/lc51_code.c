/*
** lc51_code.c: the Lua 5.1 operand modes and luaG_checkcode over the
** caller's accessors (lc51_code.h). A SETLIST whose C is 0 takes the next
** word as its batch number: that word is data, skipped by the scan, and
** no jump may land on it; as in ldebug.c, a word is data exactly when the
** run of such SETLISTs right before it is odd, so nothing is allocated.
** Spec: docs/lfs51.md §2.9, §3.13. Twin: none. May call: lc51_walk.h
** (constant tags), libc.
*/
#include "lfs/lc51_code.h"

#include "lfs/lc51_walk.h"

/* 5.1's operand modes: T A B C format (lopcodes.c values). */
#define M(t, a, b, c, f) (uint8_t)((t) << 7 | (a) << 6 | (b) << 4 | \
                                   (c) << 2 | (f))
#define N_ LC51_ARGN
#define U_ LC51_ARGU
#define R_ LC51_ARGR
#define K_ LC51_ARGK
const uint8_t lc51_opmodes[LC51_NUM_OPCODES] = {
    M(0, 1, R_, N_, LC51_IABC),   /* MOVE      */
    M(0, 1, K_, N_, LC51_IABX),   /* LOADK     */
    M(0, 1, U_, U_, LC51_IABC),   /* LOADBOOL  */
    M(0, 1, R_, N_, LC51_IABC),   /* LOADNIL   */
    M(0, 1, U_, N_, LC51_IABC),   /* GETUPVAL  */
    M(0, 1, K_, N_, LC51_IABX),   /* GETGLOBAL */
    M(0, 1, R_, K_, LC51_IABC),   /* GETTABLE  */
    M(0, 0, K_, N_, LC51_IABX),   /* SETGLOBAL */
    M(0, 0, U_, N_, LC51_IABC),   /* SETUPVAL  */
    M(0, 0, K_, K_, LC51_IABC),   /* SETTABLE  */
    M(0, 1, U_, U_, LC51_IABC),   /* NEWTABLE  */
    M(0, 1, R_, K_, LC51_IABC),   /* SELF      */
    M(0, 1, K_, K_, LC51_IABC),   /* ADD       */
    M(0, 1, K_, K_, LC51_IABC),   /* SUB       */
    M(0, 1, K_, K_, LC51_IABC),   /* MUL       */
    M(0, 1, K_, K_, LC51_IABC),   /* DIV       */
    M(0, 1, K_, K_, LC51_IABC),   /* MOD       */
    M(0, 1, K_, K_, LC51_IABC),   /* POW       */
    M(0, 1, R_, N_, LC51_IABC),   /* UNM       */
    M(0, 1, R_, N_, LC51_IABC),   /* NOT       */
    M(0, 1, R_, N_, LC51_IABC),   /* LEN       */
    M(0, 1, R_, R_, LC51_IABC),   /* CONCAT    */
    M(0, 0, R_, N_, LC51_IASBX),  /* JMP       */
    M(1, 0, K_, K_, LC51_IABC),   /* EQ        */
    M(1, 0, K_, K_, LC51_IABC),   /* LT        */
    M(1, 0, K_, K_, LC51_IABC),   /* LE        */
    M(1, 1, R_, U_, LC51_IABC),   /* TEST      */
    M(1, 1, R_, U_, LC51_IABC),   /* TESTSET   */
    M(0, 1, U_, U_, LC51_IABC),   /* CALL      */
    M(0, 1, U_, U_, LC51_IABC),   /* TAILCALL  */
    M(0, 0, U_, N_, LC51_IABC),   /* RETURN    */
    M(0, 1, R_, N_, LC51_IASBX),  /* FORLOOP   */
    M(0, 1, R_, N_, LC51_IASBX),  /* FORPREP   */
    M(1, 0, N_, U_, LC51_IABC),   /* TFORLOOP  */
    M(0, 0, U_, U_, LC51_IABC),   /* SETLIST   */
    M(0, 0, N_, N_, LC51_IABC),   /* CLOSE     */
    M(0, 1, U_, N_, LC51_IABX),   /* CLOSURE   */
    M(0, 1, U_, N_, LC51_IABC),   /* VARARG    */
};

static uint32_t at(const lc51_code_t *f, int32_t pc)
{
    return f->instr(f->ud, pc);
}

static int setlist0(uint32_t i)
{
    return LC51_OP(i) == LC51_SETLIST && LC51_C(i) == 0;
}

/* Word pc is a SETLIST count word (ldebug.c's test). */
static int isdata(const lc51_code_t *f, int32_t pc)
{
    int32_t j = 0;
    while (j < pc && setlist0(at(f, pc - 1 - j)))
        j++;
    return j & 1;
}

static int argok(const lc51_code_t *f, int v, int mode)
{
    switch (mode) {
    case LC51_ARGN:
        return v == 0;
    case LC51_ARGR:
        return v < f->maxstacksize;
    case LC51_ARGK:
        return LC51_ISK(v) ? LC51_INDEXK(v) < f->sizek
                           : v < f->maxstacksize;
    default:
        return 1;
    }
}

/* An open call or VARARG (B = 0 next) must feed one that takes it. */
static int openok(const lc51_code_t *f, int32_t pc)
{
    if (pc + 1 >= f->sizecode)
        return 0;
    uint32_t ni = at(f, pc + 1);
    int nop = LC51_OP(ni);
    return (nop == LC51_CALL || nop == LC51_TAILCALL ||
            nop == LC51_RETURN || nop == LC51_SETLIST) && LC51_B(ni) == 0;
}

/* One instruction at *pc (not a count word); advances *pc past the count
** word of a SETLIST. 1 if it passes. */
static int instrok(const lc51_code_t *f, int32_t *pcp)
{
    int32_t pc = *pcp, n = f->sizecode;
    int maxs = f->maxstacksize;
    uint32_t i = at(f, pc);
    int op = LC51_OP(i), a = LC51_A(i), b = LC51_B(i), c = LC51_C(i);
    if (op >= LC51_NUM_OPCODES || a >= maxs)
        return 0;
    switch (LC51_FORMAT(op)) {
    case LC51_IABC:
        if (!argok(f, b, LC51_BMODE(op)) || !argok(f, c, LC51_CMODE(op)))
            return 0;
        break;
    case LC51_IABX:
        b = LC51_BX(i);
        if (LC51_BMODE(op) == LC51_ARGK && b >= f->sizek)
            return 0;
        break;
    default: {
        int32_t dest = pc + 1 + LC51_SBX(i);
        if (dest < 0 || dest >= n || isdata(f, dest))
            return 0;
        break;
    }
    }
    /* The word after an instruction is never a count word: only the
    ** word after a SETLIST with C = 0 is, and that case skips it. */
    if (LC51_TESTT(op) &&
        (pc + 2 >= n || LC51_OP(at(f, pc + 1)) != LC51_JMP))
        return 0;
    switch (op) {
    case LC51_LOADBOOL:
        return !c || (pc + 2 < n && !setlist0(at(f, pc + 1)));
    case LC51_GETUPVAL:
    case LC51_SETUPVAL:
        return b < f->nups;
    case LC51_GETGLOBAL:
    case LC51_SETGLOBAL:
        return f->ktype(f->ud, b) == LC51_TSTRING;
    case LC51_SELF:
        return a + 1 < maxs;
    case LC51_CONCAT:
        return b < c;
    case LC51_TFORLOOP:
        return c >= 1 && a + 2 + c < maxs;
    case LC51_FORLOOP:
    case LC51_FORPREP:
        return a + 3 < maxs;
    case LC51_CALL:
    case LC51_TAILCALL:
        if (b != 0 && a + b - 1 >= maxs)
            return 0;
        return c == 0 ? openok(f, pc) : c - 1 == 0 || a + c - 2 < maxs;
    case LC51_RETURN:
        return b - 1 <= 0 || a + b - 2 < maxs;
    case LC51_SETLIST:
        if (b > 0 && a + b >= maxs)
            return 0;
        if (c == 0) {
            if (pc + 1 >= n - 1)
                return 0;
            (*pcp)++;
        }
        return 1;
    case LC51_CLOSURE: {
        if (b >= f->sizep)
            return 0;
        int nup = f->childnups(f->ud, b);
        if (pc + nup >= n)
            return 0;
        for (int j = 1; j <= nup; j++) {
            uint32_t pi = at(f, pc + j);
            if (LC51_OP(pi) == LC51_GETUPVAL ? LC51_B(pi) >= f->nups
                : LC51_OP(pi) != LC51_MOVE || LC51_B(pi) >= maxs)
                return 0;
        }
        return 1;
    }
    case LC51_VARARG:
        if (!(f->is_vararg & LC51_VARARG_ISVARARG) ||
            (f->is_vararg & LC51_VARARG_NEEDSARG))
            return 0;
        return b == 0 ? openok(f, pc) : a + b - 2 < maxs;
    default:
        return 1;
    }
}

int lc51_code_check(const lc51_code_t *f, int32_t *pc)
{
    int maxs = f->maxstacksize;
    *pc = f->sizecode - 1;
    if (maxs > LC51_MAXSTACK ||
        f->numparams + (f->is_vararg & LC51_VARARG_HASARG) > maxs ||
        ((f->is_vararg & LC51_VARARG_NEEDSARG) &&
         !(f->is_vararg & LC51_VARARG_HASARG)) ||
        f->nups > LC51_MAXUPVALUES ||
        LC51_OP(at(f, f->sizecode - 1)) != LC51_RETURN)
        return LC51_CODE_BADFUNC;
    for (*pc = 0; *pc < f->sizecode; (*pc)++)
        if (!instrok(f, pc))
            return LC51_CODE_BADINSTR;
    return LC51_CODE_OK;
}
