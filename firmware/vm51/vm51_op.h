/*
** vm51_op.h: the Lua 5.1 instruction set as NodeMCU's 5.1 firmware runs
** it: stock encoding and numbering (docs/lfs51.md §2.9), the operand modes the
** bytecode verifier and the debug names use.
** Spec: docs/lfs51.md §2.9. Twin: none. May call: nothing.
**
**   bits 0-5 opcode, 6-13 A, 14-22 C, 23-31 B; Bx = bits 14-31,
**   sBx = Bx - 131071; an RK operand >= 256 is constant (RK - 256).
*/
#ifndef VM51_OP_H
#define VM51_OP_H

#include <stdint.h>

typedef enum vm51_opcode {
    VM51_MOVE, VM51_LOADK, VM51_LOADBOOL, VM51_LOADNIL, VM51_GETUPVAL,
    VM51_GETGLOBAL, VM51_GETTABLE, VM51_SETGLOBAL, VM51_SETUPVAL,
    VM51_SETTABLE, VM51_NEWTABLE, VM51_SELF, VM51_ADD, VM51_SUB, VM51_MUL,
    VM51_DIV, VM51_MOD, VM51_POW, VM51_UNM, VM51_NOT, VM51_LEN,
    VM51_CONCAT, VM51_JMP, VM51_EQ, VM51_LT, VM51_LE, VM51_TEST,
    VM51_TESTSET, VM51_CALL, VM51_TAILCALL, VM51_RETURN, VM51_FORLOOP,
    VM51_FORPREP, VM51_TFORLOOP, VM51_SETLIST, VM51_CLOSE, VM51_CLOSURE,
    VM51_VARARG,
    VM51_NUM_OPCODES
} vm51_opcode_t;

#define VM51_OP(i)   ((int)((i) & 0x3F))
#define VM51_A(i)    ((int)(((i) >> 6) & 0xFF))
#define VM51_C(i)    ((int)(((i) >> 14) & 0x1FF))
#define VM51_B(i)    ((int)((i) >> 23))
#define VM51_BX(i)   ((int)((i) >> 14))
#define VM51_SBX(i)  (VM51_BX(i) - 131071)
#define VM51_ISK(x)  ((x) & 256)
#define VM51_INDEXK(x) ((x) & 255)
#define VM51_MAXSTACK 250
#define VM51_FIELDS_PER_FLUSH 50

/* Operand modes (lopcodes' opmode bits): bit 7 T (a test: the next
** instruction is a jump), bit 6 A (sets register A), bits 4-5 B mode,
** 2-3 C mode, 0-1 format. */
enum { VM51_ARGN, VM51_ARGU, VM51_ARGR, VM51_ARGK };
enum { VM51_IABC, VM51_IABX, VM51_IASBX };
extern const uint8_t vm51_opmodes[VM51_NUM_OPCODES];
#define VM51_TESTT(op) (vm51_opmodes[op] >> 7)
#define VM51_TESTA(op) ((vm51_opmodes[op] >> 6) & 1)
#define VM51_BMODE(op) ((vm51_opmodes[op] >> 4) & 3)
#define VM51_CMODE(op) ((vm51_opmodes[op] >> 2) & 3)
#define VM51_FORMAT(op) (vm51_opmodes[op] & 3)

#endif
