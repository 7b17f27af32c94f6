/*
** lfs53_list.c: luac-style listings of Lua 5.3 Proto trees (lfs53_list.h).
** Operands are decoded defensively: an index outside the constant or
** upvalue table prints as "?", so listing a damaged tree never reads out
** of bounds.
** May call: lfs_model, lfs_buf, lfs51_list, libc.
*/
#include "lfs/lfs53_list.h"

#include <stdio.h>
#include <string.h>

#include "lfs/lfs51_list.h"

#define NOPS 47

static const char *const opnames[NOPS] = {
    "MOVE", "LOADK", "LOADKX", "LOADBOOL", "LOADNIL", "GETUPVAL",
    "GETTABUP", "GETTABLE", "SETTABUP", "SETUPVAL", "SETTABLE", "NEWTABLE",
    "SELF", "ADD", "SUB", "MUL", "MOD", "POW", "DIV", "IDIV", "BAND", "BOR",
    "BXOR", "SHL", "SHR", "UNM", "BNOT", "NOT", "LEN", "CONCAT", "JMP", "EQ",
    "LT", "LE", "TEST", "TESTSET", "CALL", "TAILCALL", "RETURN", "FORLOOP",
    "FORPREP", "TFORCALL", "TFORLOOP", "SETLIST", "CLOSURE", "VARARG",
    "EXTRAARG"
};

/* lopcodes.c modes: instruction format (A ABC, X ABx, S AsBx, Z Ax) and
** the B and C operand kinds (N unused, U used, R register, K RK). */
static const char fmts[NOPS + 1] =
    "AXAAAAAAAAAAAAAAAAAAAAAAAAAAAASAAAAAAAASSASAXAZ";
static const char bmodes[NOPS + 1] =
    "RKNUUUURKUKURKKKKKKKKKKKKRRRRRRKKKNRUUURRNRUUUU";
static const char cmodes[NOPS + 1] =
    "NNNUNNKKKNKUKKKKKKKKKKKKKNNNNRNKKKUUUUNNNUNUNNU";

#define ISK(x) ((x) & 0x100)

static void constant(const lfs_proto_t *f, int k, lfs_buf_t *out)
{
    if (k < 0 || k >= f->sizek) {
        lfs_buf_put(out, "?", 1);
        return;
    }
    const lfs_const_t *c = &f->k[k];
    switch (c->type) {
    case LFS_KNIL: lfs_buf_put(out, "nil", 3); break;
    case LFS_KBOOL: lfs_buf_printf(out, c->b ? "true" : "false"); break;
    case LFS_KNUM: {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.14g", c->n);
        lfs_buf_printf(out, "%s", tmp);
        if (tmp[strspn(tmp, "-0123456789")] == 0)
            lfs_buf_put(out, ".0", 2);     /* as luac5.3 marks floats */
        break;
    }
    case LFS_KINT: lfs_buf_printf(out, "%lld", (long long)c->i); break;
    case LFS_KSTR: lfs51_list_quote(c->s, out); break;
    }
}

static void upvalue(const lfs_proto_t *f, int u, lfs_buf_t *out)
{
    if (u < 0 || u >= f->sizeupvalues || !f->upvalues[u].name.data)
        lfs_buf_put(out, "-", 1);
    else
        lfs_buf_printf(out, "%s", f->upvalues[u].name.data);
}

static void rk(const lfs_proto_t *f, int x, lfs_buf_t *out)
{
    if (ISK(x))
        constant(f, x & 0xFF, out);
    else
        lfs_buf_put(out, "-", 1);
}

static void code(const lfs_proto_t *f, lfs_buf_t *out)
{
    for (int pc = 0; pc < f->sizecode; pc++) {
        uint32_t i = f->code[pc];
        int op = (int)(i & 0x3F), a = (int)(i >> 6 & 0xFF);
        int b = (int)(i >> 23), c = (int)(i >> 14 & 0x1FF);
        int bx = (int)(i >> 14), sbx = bx - 131071, ax = (int)(i >> 6);
        lfs_buf_printf(out, "\t%d\t", pc + 1);
        if (f->sizelineinfo > pc)
            lfs_buf_printf(out, "[%d]\t", f->lineinfo[pc]);
        else
            lfs_buf_printf(out, "[-]\t");
        if (op >= NOPS) {
            lfs_buf_printf(out, "?%d\t0x%08x\n", op, i);
            continue;
        }
        lfs_buf_printf(out, "%-9s\t", opnames[op]);
        switch (fmts[op]) {
        case 'A':
            lfs_buf_printf(out, "%d", a);
            if (bmodes[op] != 'N')
                lfs_buf_printf(out, " %d", ISK(b) && bmodes[op] == 'K'
                               ? -1 - (b & 0xFF) : b);
            if (cmodes[op] != 'N')
                lfs_buf_printf(out, " %d", ISK(c) && cmodes[op] == 'K'
                               ? -1 - (c & 0xFF) : c);
            break;
        case 'X':
            lfs_buf_printf(out, "%d %d", a, bmodes[op] == 'K' ? -1 - bx
                                                              : bx);
            break;
        case 'S':
            lfs_buf_printf(out, "%d %d", a, sbx);
            break;
        default:
            lfs_buf_printf(out, "%d", -1 - ax);
        }
        switch (op) {
        case 1:                                     /* LOADK */
            lfs_buf_put(out, "\t; ", 3);
            constant(f, bx, out);
            break;
        case 5: case 9:                             /* GET/SETUPVAL */
            lfs_buf_put(out, "\t; ", 3);
            upvalue(f, b, out);
            break;
        case 6:                                     /* GETTABUP */
            lfs_buf_put(out, "\t; ", 3);
            upvalue(f, b, out);
            if (ISK(c)) {
                lfs_buf_u8(out, ' ');
                constant(f, c & 0xFF, out);
            }
            break;
        case 8:                                     /* SETTABUP */
            lfs_buf_put(out, "\t; ", 3);
            upvalue(f, a, out);
            if (ISK(b)) {
                lfs_buf_u8(out, ' ');
                constant(f, b & 0xFF, out);
            }
            if (ISK(c)) {
                lfs_buf_u8(out, ' ');
                constant(f, c & 0xFF, out);
            }
            break;
        case 7: case 12:                            /* GETTABLE, SELF */
            if (ISK(c)) {
                lfs_buf_put(out, "\t; ", 3);
                constant(f, c & 0xFF, out);
            }
            break;
        case 10: case 13: case 14: case 15: case 16: case 17: case 18:
        case 19: case 20: case 21: case 22: case 23: case 24: case 31:
        case 32: case 33:
            if (ISK(b) || ISK(c)) {
                lfs_buf_put(out, "\t; ", 3);
                rk(f, b, out);
                lfs_buf_u8(out, ' ');
                rk(f, c, out);
            }
            break;
        case 30: case 39: case 40: case 42:         /* jumps */
            lfs_buf_printf(out, "\t; to %d", pc + sbx + 2);
            break;
        case 43:                                    /* SETLIST */
            if (c == 0 && pc + 1 < f->sizecode)
                lfs_buf_printf(out, "\t; %d", (int)f->code[pc + 1]);
            else
                lfs_buf_printf(out, "\t; %d", c);
            break;
        case 46:                                    /* EXTRAARG */
            lfs_buf_put(out, "\t; ", 3);
            constant(f, ax, out);
            break;
        default:
            break;
        }
        lfs_buf_u8(out, '\n');
    }
}

/* 5.3: the header counts upvalue descriptors; rows add instack, idx. */
static int nupvalues(const lfs_proto_t *f) { return f->sizeupvalues; }

static void upvalue_row(const lfs_proto_t *f, int i, lfs_buf_t *out)
{
    upvalue(f, i, out);
    lfs_buf_printf(out, "\t%d\t%d\n", f->upvalues[i].instack,
                   f->upvalues[i].idx);
}

void lfs53_list_proto(const lfs_proto_t *f, int verbose, lfs_buf_t *out)
{
    static const lfs51_list_dialect_t dl53 = { code, constant, nupvalues,
                                               upvalue_row };
    lfs51_list_walk(f, verbose, &dl53, out);
}
