/*
** luac_check53.c: turns a tree compiled by stock Lua 5.3 into what
** NodeMCU's 5.3 compiler would have produced from the same source, or
** refuses with the reason (luac.h luac_check53):
**  - strip level 1: no local-variable or upvalue names (docs/lfs53.md §4.4);
**  - packed line info (§9). NodeMCU's compiler packs line info while it
**    emits code; when luaK_fixline moves the last instruction to another
**    line it un-appends that instruction and appends it again, and if the
**    instruction had opened a run with a delta of 64 lines or more, the
**    previous line is recovered from the delta's first byte only: the
**    line info of the rest of the function is shifted. To reproduce that,
**    each instruction's emission line E (before the fix) must be known.
**    Instructions no fix can touch were emitted on their final line; a
**    CLOSURE of a function statement was emitted on the function's last
**    line, its store with it; for calls, operators and loops the source
**    scan of luac_parse53 gives E. Where E stays unknown and the quirk is
**    possible, the file is refused with its line;
**  - the int32/float target: every integer constant must fit 32 bits and
**    every float be exact in single precision (luac_fold53 has already
**    rewritten the source so that this holds; this is the safety net).
** May call: lfs/, luac_parse53, libc.
*/
#include "luac-cross/luac.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc53.h"
#include "lfs/lfs_buf.h"
#include "luac-cross/luac_parse53.h"

enum { OP_LOADK = 1, OP_LOADKX = 2, OP_SETTABUP = 8, OP_SETUPVAL = 9,
       OP_SETTABLE = 10, OP_ADD = 13, OP_CONCAT = 29, OP_NOT = 27,
       OP_CALL = 36, OP_TAILCALL = 37, OP_FORLOOP = 39, OP_TFORCALL = 41,
       OP_TFORLOOP = 42, OP_CLOSURE = 44, OP_EXTRAARG = 46 };

#define GET_OP(i) ((int)((i) & 0x3F))
#define GET_B(i) ((int)((i) >> 23))
#define GET_C(i) ((int)(((i) >> 14) & 0x1FF))
#define GET_BX(i) ((int)((i) >> 14))
#define GET_AX(i) ((int)((i) >> 6))
#define ISK(x) ((x) & 0x100)

/* Can luaK_fixline touch this instruction, and which source construct
** does it belong to (luac_parse53 event kinds)? -1: never fixed. */
static int fix_kind(int op)
{
    if ((op >= OP_ADD && op <= OP_CONCAT && op != OP_NOT))
        return LUAC_EV_ARITH;
    switch (op) {
    case OP_CALL: case OP_TAILCALL: return LUAC_EV_CALL;
    case OP_FORLOOP: return LUAC_EV_FORNUM;
    case OP_TFORCALL: case OP_TFORLOOP: return LUAC_EV_FORGEN;
    case OP_CLOSURE: case OP_SETTABUP: case OP_SETUPVAL: case OP_SETTABLE:
        return LUAC_EV_FUNCSTAT;
    default: return -1;
    }
}

/* ---- NodeMCU's line-info encoder (docs/lfs53.md §9) ---------------------- */

typedef struct enc {
    lfs_buf_t b;
    int line;           /* the encoder's idea of the last line */
    size_t *runs;       /* byte offset where each run (its deltas) starts */
    size_t *ics;        /* byte offset of each run's count byte */
    int nruns, cap;
} enc_t;

static int enc_push(enc_t *e, size_t start, size_t ic)
{
    if (e->nruns == e->cap) {
        int cap = e->cap ? e->cap * 2 : 64;
        size_t *r = realloc(e->runs, sizeof *r * (size_t)cap);
        if (!r)
            return -1;
        e->runs = r;
        size_t *c = realloc(e->ics, sizeof *c * (size_t)cap);
        if (!c)
            return -1;
        e->ics = c;
        e->cap = cap;
    }
    e->runs[e->nruns] = start;
    e->ics[e->nruns++] = ic;
    return 0;
}

static int enc_append(enc_t *e, int line)
{
    size_t start = e->b.len;
    if (e->nruns && line == e->line && e->b.data[e->ics[e->nruns - 1]] < 127)
    {
        e->b.data[e->ics[e->nruns - 1]]++;
        return 0;
    }
    int64_t d = (int64_t)line - e->line;
    if (e->nruns && d == 0) {
        lfs_buf_u8(&e->b, 0xC0);
    } else if (d != 1) {
        uint64_t mag = d < 0 ? (uint64_t)-d : (uint64_t)(d - 2);
        lfs_buf_u8(&e->b, (uint8_t)(0x80 | (d < 0 ? 0x40 : 0) |
                                    (mag & 0x3F)));
        for (mag >>= 6; mag; mag >>= 7)
            lfs_buf_u8(&e->b, (uint8_t)(0x80 | (mag & 0x7F)));
    }
    size_t ic = e->b.len;
    lfs_buf_u8(&e->b, 1);
    e->line = line;
    return e->b.err ? -1 : enc_push(e, start, ic);
}

/* Un-append the last instruction as NodeMCU does: only the first delta
** byte is used to recover the previous line. */
static void enc_unappend(enc_t *e)
{
    size_t ic = e->ics[e->nruns - 1], start = e->runs[e->nruns - 1];
    if (e->b.data[ic] > 1) {
        e->b.data[ic]--;
        return;
    }
    if (start < ic) {
        uint8_t first = e->b.data[start];
        if (first & 0x40)
            e->line += first & 0x3F;
        else
            e->line -= (first & 0x3F) + 2;
    } else {
        e->line -= 1;
    }
    e->b.len = start;
    e->nruns--;
}

static int enc_fix(enc_t *e, int line)
{
    if (line == e->line)
        return 0;
    enc_unappend(e);
    return enc_append(e, line);
}

/* Would E (an emission line) open a run whose delta needs more than one
** byte, so that fixing the instruction to another line loses bits? */
static int quirky(const enc_t *e, int64_t E)
{
    int64_t d = E - e->line;
    return (d >= 66 || d <= -64);
}

/* ---- per-function line info ----------------------------------------- */

typedef struct lctx {
    const char *file;
    lfs_diag_t *d;
    lfs_model_t *m;
} lctx_t;

/* The emission lines the source scan found for f's fixable
** instructions: the k-th instruction of a kind is the k-th event of that
** kind that emits one. All or nothing: if counts or fixed lines disagree
** anywhere in the function, no line is taken (E stays unknown). */
static void match_events(const lfs_proto_t *f, const luac_fn53_t *fn,
                         int *E, unsigned char *known)
{
    int next[LUAC_EV_KINDS] = { 0 };
    if (!fn)
        return;
    for (int pass = 0; pass < 2; pass++) {
        memset(next, 0, sizeof next);
        for (int i = 0; i < f->sizecode; i++) {
            int kind = fix_kind(GET_OP(f->code[i]));
            if (kind < 0 || kind == LUAC_EV_FUNCSTAT)
                continue;
            const luac_ev53_t *ev = NULL;
            while (next[kind] < fn->nev[kind] &&
                   !fn->ev[kind][next[kind]].emits)
                next[kind]++;
            if (next[kind] < fn->nev[kind])
                ev = &fn->ev[kind][next[kind]++];
            if (!ev || ev->L != f->lineinfo[i] || ev->E < ev->L)
                return;
            if (pass == 1) {
                E[i] = ev->E;
                known[i] = 1;
            }
        }
        for (int k = 0; k < LUAC_EV_KINDS; k++) {
            while (next[k] < fn->nev[k] && !fn->ev[k][next[k]].emits)
                next[k]++;
            if (k != LUAC_EV_FUNCSTAT && next[k] != fn->nev[k])
                return;
        }
    }
}

static int pack_lines(lfs_proto_t *f, const luac_fn53_t *fn, lctx_t *x)
{
    enc_t e;
    int n = f->sizelineinfo, rc = 0;
    if (n == 0)
        return 0;
    memset(&e, 0, sizeof e);
    lfs_buf_init(&e.b);
    int *E = malloc(sizeof *E * (size_t)n);
    unsigned char *known = calloc((size_t)n, 1);
    if (!E || !known) {
        free(E);
        free(known);
        return lfs_fail(x->d, -1, LFS_ENOMEM, "out of memory");
    }
    /* Emission lines that follow from the code alone. */
    for (int i = 0; i < n; i++) {
        int L = f->lineinfo[i], op = GET_OP(f->code[i]);
        int kind = fix_kind(op);
        E[i] = L;
        known[i] = kind < 0;
        if (op == OP_CLOSURE) {
            int c = GET_BX(f->code[i]);
            const lfs_proto_t *ch = c < f->sizep ? f->p[c] : NULL;
            if (ch && L == ch->linedefined && ch->lastlinedefined > L)
                E[i] = ch->lastlinedefined;     /* function statement */
            known[i] = 1;
        } else if (kind == LUAC_EV_FUNCSTAT) {
            if (i > 0 && GET_OP(f->code[i - 1]) == OP_CLOSURE &&
                E[i - 1] > L)
                E[i] = E[i - 1];                /* its store */
            known[i] = 1;
        }
    }
    match_events(f, fn, E, known);
    for (int i = 0; i < n && !rc; i++) {
        int L = f->lineinfo[i];
        if (!known[i]) {
            /* Emitted at or after the previous instruction and at or
            ** before the next one whose line is known. */
            int lo = i > 0 ? E[i - 1] : 0, hi = L;
            for (int j = i + 1; j < n; j++)
                if (known[j]) {
                    hi = E[j];
                    break;
                }
            if (lo < L)
                lo = L;
            if (hi > L && (quirky(&e, hi) || quirky(&e, lo))) {
                int kind = fix_kind(GET_OP(f->code[i]));
                rc = lfs_fail_line(x->d, L, LFS_EFORMAT, "cannot tell how"
                    " NodeMCU's compiler records the line of this %s: it"
                    " may end on a later line (up to %d) after a jump of"
                    " 64 lines or more, where NodeMCU's line info has a"
                    " quirk (docs/lfs53.md §9); put it on one line",
                    kind == LUAC_EV_CALL ? "call" : kind == LUAC_EV_ARITH
                    ? "operator" : "loop", hi);
                break;
            }
        }
        if (enc_append(&e, E[i]) || (E[i] != L && enc_fix(&e, L)))
            rc = lfs_fail(x->d, -1, LFS_ENOMEM, "out of memory");
    }
    if (!rc)
        lfs_buf_u8(&e.b, 0);
    if (!rc && e.b.err)
        rc = lfs_fail(x->d, -1, LFS_ENOMEM, "out of memory");
    if (!rc) {
        /* Keep the bytes only when they are not the plain packing. */
        lfs_buf_t canon;
        lfs_buf_init(&canon);
        lc53_lines_pack(f->lineinfo, n, &canon);
        if (canon.err) {
            rc = lfs_fail(x->d, -1, LFS_ENOMEM, "out of memory");
        } else if (canon.len != e.b.len ||
                   memcmp(canon.data, e.b.data, canon.len) != 0) {
            uint8_t *blob = lfs_model_alloc(x->m, e.b.len);
            int *lines = lfs_model_alloc(x->m, sizeof *lines * (size_t)n);
            if (!blob || !lines) {
                rc = lfs_fail(x->d, -1, LFS_ENOMEM, "out of memory");
            } else {
                memcpy(blob, e.b.data, e.b.len);
                f->lineblob = blob;
                f->sizelineblob = (int)e.b.len;
                /* lineinfo becomes what the firmware will report. */
                if (lc53_lines_unpack(blob, e.b.len, lines, n) == n)
                    f->lineinfo = lines;
            }
        }
        lfs_buf_free(&canon);
    }
    free(E);
    free(known);
    free(e.runs);
    free(e.ics);
    lfs_buf_free(&e.b);
    return rc;
}

/* ---- numbers on the int32/float target -------------------------------- */

/* The line of the first instruction that uses constant k, or 0. */
static int const_line(const lfs_proto_t *f, int k)
{
    for (int i = 0; i < f->sizecode && i < f->sizelineinfo; i++) {
        uint32_t ins = f->code[i];
        int op = GET_OP(ins), b = GET_B(ins), c = GET_C(ins);
        int uses = op == OP_LOADK ? GET_BX(ins) == k
                 : op == OP_EXTRAARG ? GET_AX(ins) == k
                 : (ISK(b) && (b & 0xFF) == k) || (ISK(c) && (c & 0xFF) == k);
        if (op == OP_LOADKX || op == OP_CLOSURE || op == OP_CALL ||
            op == OP_TAILCALL)
            uses = 0;
        if (uses)
            return f->lineinfo[i];
    }
    return f->linedefined;
}

static int check_numbers(const lfs_proto_t *f, lfs_diag_t *d, int depth)
{
    for (int i = 0; i < f->sizek; i++) {
        const lfs_const_t *k = &f->k[i];
        if (k->type == LFS_KINT && !lc53_int_fits(k->i, 0))
            return lfs_fail_line(d, const_line(f, i), LFS_EFORMAT,
                "integer constant %lld does not fit the target's 32-bit"
                " integers, and NodeMCU's compiler would not have made it;"
                " write the value the firmware should see, or build with"
                " --target 5.3-64", (long long)k->i);
        if (k->type == LFS_KNUM && !lc53_num_fits(k->n, 0))
            return lfs_fail_line(d, const_line(f, i), LFS_EFORMAT,
                "float constant %.17g is not exact in single precision,"
                " and NodeMCU's compiler would not have made it; write"
                " the value the firmware should see, or build with"
                " --target 5.3-64", k->n);
    }
    for (int i = 0; i < f->sizep && depth < LC53_MAXDEPTH; i++)
        if (check_numbers(f->p[i], d, depth + 1))
            return d->code;
    return 0;
}

/* ---- the tree --------------------------------------------------------- */

static int walk(lfs_proto_t *f, const luac_fn53_t *fn, lctx_t *x, int depth)
{
    f->sizelocvars = 0;
    f->locvars = NULL;
    for (int i = 0; i < f->sizeupvalues; i++)
        f->upvalues[i].name = (lfs_str_t){ NULL, 0 };
    if (fn && fn->nkids != f->sizep)
        fn = NULL;      /* the scan and the compiler disagree: no events */
    if (pack_lines(f, fn, x))
        return x->d->code;
    for (int i = 0; i < f->sizep && depth < LC53_MAXDEPTH; i++)
        if (walk(f->p[i], fn ? fn->kids[i] : NULL, x, depth + 1))
            return x->d->code;
    return 0;
}

int luac_check53(lfs_proto_t *f, const char *src, size_t len,
                 const char *file, int int64, lfs_model_t *m, lfs_diag_t *d)
{
    lctx_t x = { file, d, m };
    luac_parse53_t ps;
    if (!int64 && check_numbers(f, d, 0))
        return d->code;
    if (!src || luac_parse53(src, len, 0, &ps))
        memset(&ps, 0, sizeof ps);
    int rc = walk(f, ps.main, &x, 0);
    luac_parse53_free(&ps);
    return rc;
}
