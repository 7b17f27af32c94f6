/*
** lc51_code.h: the Lua 5.1 instruction set as NodeMCU's 5.1 firmware runs
** it (stock encoding and numbering, the operand modes of lopcodes.c) and
** the one check of a function's instructions that stock Lua runs on
** loaded code (ldebug.c luaG_checkcode): registers, constants, upvalues,
** jumps, the jump after a test, open calls, CLOSURE's pseudo-instructions,
** SETLIST count words and VARARG. The code is read through the caller's
** accessors, so one checker serves RAM Protos undumped from .lc bytes
** (firmware/vm51/vm51_undump.c) and flash Protos read in place or from an
** inflating stream (lfs51_check.c). The firmware links this file: plain
** C11, no allocation, no recursion.
** Spec: docs/lfs51.md §2.9 (instructions), §3.13 (the image check).
** Twin: none (the interpreter firmware/vm51/vm51_exec.c runs what this
** accepts). May call: libc.
**
**   bits 0-5 opcode, 6-13 A, 14-22 C, 23-31 B; Bx = bits 14-31,
**   sBx = Bx - 131071; an RK operand >= 256 is constant (RK - 256).
*/
#ifndef LC51_CODE_H
#define LC51_CODE_H

#include <stdint.h>

typedef enum lc51_opcode {
    LC51_MOVE, LC51_LOADK, LC51_LOADBOOL, LC51_LOADNIL, LC51_GETUPVAL,
    LC51_GETGLOBAL, LC51_GETTABLE, LC51_SETGLOBAL, LC51_SETUPVAL,
    LC51_SETTABLE, LC51_NEWTABLE, LC51_SELF, LC51_ADD, LC51_SUB, LC51_MUL,
    LC51_DIV, LC51_MOD, LC51_POW, LC51_UNM, LC51_NOT, LC51_LEN,
    LC51_CONCAT, LC51_JMP, LC51_EQ, LC51_LT, LC51_LE, LC51_TEST,
    LC51_TESTSET, LC51_CALL, LC51_TAILCALL, LC51_RETURN, LC51_FORLOOP,
    LC51_FORPREP, LC51_TFORLOOP, LC51_SETLIST, LC51_CLOSE, LC51_CLOSURE,
    LC51_VARARG,
    LC51_NUM_OPCODES
} lc51_opcode_t;

#define LC51_OP(i)   ((int)((i) & 0x3F))
#define LC51_A(i)    ((int)(((i) >> 6) & 0xFF))
#define LC51_C(i)    ((int)(((i) >> 14) & 0x1FF))
#define LC51_B(i)    ((int)((i) >> 23))
#define LC51_BX(i)   ((int)((i) >> 14))
#define LC51_SBX(i)  (LC51_BX(i) - 131071)
#define LC51_ISK(x)  ((x) & 256)
#define LC51_INDEXK(x) ((x) & 255)
#define LC51_MAXSTACK 250
#define LC51_MAXUPVALUES 60
#define LC51_FIELDS_PER_FLUSH 50

/* Proto.is_vararg bits (lobject.h VARARG_*). */
#define LC51_VARARG_HASARG   1
#define LC51_VARARG_ISVARARG 2
#define LC51_VARARG_NEEDSARG 4

/* Operand modes (lopcodes' opmode bits): bit 7 T (a test: the next
** instruction is a jump), bit 6 A (sets register A), bits 4-5 B mode,
** 2-3 C mode, 0-1 format. */
enum { LC51_ARGN, LC51_ARGU, LC51_ARGR, LC51_ARGK };
enum { LC51_IABC, LC51_IABX, LC51_IASBX };
extern const uint8_t lc51_opmodes[LC51_NUM_OPCODES];
#define LC51_TESTT(op) (lc51_opmodes[op] >> 7)
#define LC51_TESTA(op) ((lc51_opmodes[op] >> 6) & 1)
#define LC51_BMODE(op) ((lc51_opmodes[op] >> 4) & 3)
#define LC51_CMODE(op) ((lc51_opmodes[op] >> 2) & 3)
#define LC51_FORMAT(op) (lc51_opmodes[op] & 3)

/* A function as the checker sees it: its fixed fields and accessors for
** what lies elsewhere. Each accessor is called only with an index below
** the matching size. */
typedef struct lc51_code {
    int32_t sizecode, sizek, sizep;
    uint8_t nups, numparams, is_vararg, maxstacksize;
    const void *ud;
    uint32_t (*instr)(const void *ud, int32_t pc);  /* host order */
    int (*ktype)(const void *ud, int32_t i);    /* tag of constant i */
    int (*childnups)(const void *ud, int32_t i);    /* nups of child i */
} lc51_code_t;

/* Results of lc51_code_check. */
enum { LC51_CODE_OK, LC51_CODE_BADFUNC, LC51_CODE_BADINSTR };

/* lua5.1's checks of f's code: LC51_CODE_OK; LC51_CODE_BADFUNC when the
** fixed fields break a rule (stack size, parameters, upvalue count, no
** RETURN last; *pc = sizecode - 1), or LC51_CODE_BADINSTR with *pc the
** first instruction that fails. sizecode must be at least 1. */
int lc51_code_check(const lc51_code_t *f, int32_t *pc);

#endif
