/*
** lfs51_list.c: luac-style listings of Lua 5.1 Proto trees (lfs51_list.h).
** Operands are decoded defensively: an index outside the constant table
** prints as "?", so listing a damaged tree never reads out of bounds.
** May call: lfs_model, lfs_buf, libc.
*/
#include "lfs/lfs51_list.h"

#include <stdio.h>

static const char *const opnames[] = {
    "MOVE", "LOADK", "LOADBOOL", "LOADNIL", "GETUPVAL", "GETGLOBAL",
    "GETTABLE", "SETGLOBAL", "SETUPVAL", "SETTABLE", "NEWTABLE", "SELF",
    "ADD", "SUB", "MUL", "DIV", "MOD", "POW", "UNM", "NOT", "LEN", "CONCAT",
    "JMP", "EQ", "LT", "LE", "TEST", "TESTSET", "CALL", "TAILCALL",
    "RETURN", "FORLOOP", "FORPREP", "TFORLOOP", "SETLIST", "CLOSE",
    "CLOSURE", "VARARG"
};

/* Operand modes: 'A' ABC, 'X' ABx, 'S' AsBx; and which of B, C are RK. */
static const char modes[] = "AXAAAXAXAAAAAAAAAAAAAASAAAAAAAASSAAAXA";
static const char rkb[]   = "00000000010011111100000111000000000000";
static const char rkc[]   = "00000010011111111100000111000000000000";

void lfs51_list_quote(lfs_str_t s, lfs_buf_t *out)
{
    lfs_buf_u8(out, '"');
    for (uint32_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.data[i];
        switch (c) {
        case '"': lfs_buf_put(out, "\\\"", 2); break;
        case '\\': lfs_buf_put(out, "\\\\", 2); break;
        case '\n': lfs_buf_put(out, "\\n", 2); break;
        case '\r': lfs_buf_put(out, "\\r", 2); break;
        case '\t': lfs_buf_put(out, "\\t", 2); break;
        default:
            if (c < 32 || c >= 127)
                lfs_buf_printf(out, "\\%03d", c);
            else
                lfs_buf_u8(out, c);
        }
    }
    lfs_buf_u8(out, '"');
}

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
    case LFS_KNUM: lfs_buf_printf(out, "%.14g", c->n); break;
    case LFS_KINT: lfs_buf_printf(out, "%lld", (long long)c->i); break;
    case LFS_KSTR: lfs51_list_quote(c->s, out); break;
    }
}

static void code(const lfs_proto_t *f, lfs_buf_t *out)
{
    for (int pc = 0; pc < f->sizecode; pc++) {
        uint32_t i = f->code[pc];
        int op = (int)(i & 0x3F), a = (int)(i >> 6 & 0xFF);
        int b = (int)(i >> 23), c = (int)(i >> 14 & 0x1FF);
        int bx = (int)(i >> 14), sbx = bx - 131071;
        lfs_buf_printf(out, "\t%d\t", pc + 1);
        if (f->sizelineinfo)
            lfs_buf_printf(out, "[%d]\t", f->lineinfo[pc]);
        else
            lfs_buf_printf(out, "[-]\t");
        if (op >= (int)(sizeof opnames / sizeof *opnames)) {
            lfs_buf_printf(out, "?%d\t0x%08x\n", op, i);
            continue;
        }
        lfs_buf_printf(out, "%-9s\t", opnames[op]);
        switch (modes[op]) {
        case 'A':
            lfs_buf_printf(out, "%d", a);
            if (op != 3 && op != 4 && op != 8 && op != 19 && op != 20 &&
                op != 35 && op != 37 && op != 26 && op != 0)
                lfs_buf_printf(out, " %d %d", rkb[op] == '1' && b >= 256
                               ? -1 - (b - 256) : b, rkc[op] == '1' &&
                               c >= 256 ? -1 - (c - 256) : c);
            else if (op == 26)
                lfs_buf_printf(out, " %d", c);
            else
                lfs_buf_printf(out, " %d", b);
            break;
        case 'X':
            lfs_buf_printf(out, "%d %d", a, op == 36 ? bx : -1 - bx);
            break;
        default:
            lfs_buf_printf(out, "%d %d", a, sbx);
        }
        if (op == 1 || op == 5 || op == 7) {
            lfs_buf_put(out, "\t; ", 3);
            constant(f, bx, out);
        } else if ((rkb[op] == '1' && b >= 256) ||
                   (rkc[op] == '1' && c >= 256)) {
            lfs_buf_put(out, "\t; ", 3);
            if (rkb[op] == '1' && b >= 256)
                constant(f, b - 256, out);
            if (rkb[op] == '1' && b >= 256 && rkc[op] == '1' && c >= 256)
                lfs_buf_u8(out, ' ');
            if (rkc[op] == '1' && c >= 256)
                constant(f, c - 256, out);
        } else if (op == 22 || op == 31 || op == 32) {
            lfs_buf_printf(out, "\t; to %d", pc + 2 + sbx);
        }
        lfs_buf_u8(out, '\n');
    }
}

static void walk(const lfs_proto_t *f, int verbose,
                 const lfs51_list_dialect_t *dl, lfs_buf_t *out, int depth)
{
    const char *src = f->source.data ? f->source.data : "=?";
    int nup = dl->nupvalues(f);
    lfs_buf_printf(out, "\n%s <%s:%d,%d> (%d instruction%s)\n",
                   f->linedefined ? "function" : "main",
                   src[0] == '@' || src[0] == '=' ? src + 1 : src,
                   f->linedefined, f->lastlinedefined, f->sizecode,
                   f->sizecode == 1 ? "" : "s");
    lfs_buf_printf(out, "%d%s param%s, %d slot%s, %d upvalue%s, %d local%s,"
                   " %d constant%s, %d function%s\n", f->numparams,
                   f->is_vararg ? "+" : "", f->numparams == 1 ? "" : "s",
                   f->maxstacksize, f->maxstacksize == 1 ? "" : "s",
                   nup, nup == 1 ? "" : "s", f->sizelocvars,
                   f->sizelocvars == 1 ? "" : "s", f->sizek,
                   f->sizek == 1 ? "" : "s", f->sizep,
                   f->sizep == 1 ? "" : "s");
    dl->code(f, out);
    if (verbose) {
        lfs_buf_printf(out, "constants (%d):\n", f->sizek);
        for (int i = 0; i < f->sizek; i++) {
            lfs_buf_printf(out, "\t%d\t", i + 1);
            dl->constant(f, i, out);
            lfs_buf_u8(out, '\n');
        }
        lfs_buf_printf(out, "locals (%d):\n", f->sizelocvars);
        for (int i = 0; i < f->sizelocvars; i++)
            lfs_buf_printf(out, "\t%d\t%s\t%ld\t%ld\n", i,
                           f->locvars[i].varname.data
                               ? f->locvars[i].varname.data : "?",
                           (long)f->locvars[i].startpc + 1,
                           (long)f->locvars[i].endpc + 1);
        lfs_buf_printf(out, "upvalues (%d):\n", f->sizeupvalues);
        for (int i = 0; i < f->sizeupvalues; i++) {
            lfs_buf_printf(out, "\t%d\t", i);
            dl->upvalue_row(f, i, out);
        }
    }
    if (depth < 200)
        for (int i = 0; i < f->sizep; i++)
            walk(f->p[i], verbose, dl, out, depth + 1);
}

void lfs51_list_walk(const lfs_proto_t *f, int verbose,
                     const lfs51_list_dialect_t *dl, lfs_buf_t *out)
{
    walk(f, verbose, dl, out, 0);
}

/* 5.1: the header counts nups (5.1 keeps no names in LFS); rows are names. */
static int nupvalues(const lfs_proto_t *f) { return f->nups; }

static void upvalue_row(const lfs_proto_t *f, int i, lfs_buf_t *out)
{
    lfs_buf_printf(out, "%s\n", f->upvalues[i].name.data
                                    ? f->upvalues[i].name.data : "?");
}

void lfs51_list_proto(const lfs_proto_t *f, int verbose, lfs_buf_t *out)
{
    static const lfs51_list_dialect_t dl51 = { code, constant, nupvalues,
                                               upvalue_row };
    lfs51_list_walk(f, verbose, &dl51, out);
}
