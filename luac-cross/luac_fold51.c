/*
** luac_fold51.c: constant folding as NodeMCU's integer-build 5.1 compiler
** does it. Stock Lua folds an arithmetic operator whose operands are both
** numerals (lcode.c constfolding), in doubles; NodeMCU's integer compiler
** folds the same subexpressions in 32-bit integers, so 7/2 is 3, not 3.5,
** and 7/2*2 is 6, not 7. This pass finds every folded subexpression by
** parsing the token stream with Lua 5.1's operator priorities, starting
** at each place a constant operand can begin, evaluates it both ways, and
** rewrites each outermost fold whose integer value differs into that
** integer literal (keeping its newlines), so stock Lua then compiles what
** NodeMCU's compiler would have. Where the integer result cannot be
** decided (a negative operand of / or %, whose rounding NodeMCU leaves to
** C; a divisor that is 0 only as an integer, such as 0.5; overflow; a
** negative exponent) the source is refused with its line.
** May call: luac_lex, lfs_diag, libc.
*/
#include "luac-cross/luac.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luac-cross/luac_lex.h"

typedef struct val {
    int isconst;
    double d;           /* the stock (double) fold */
    int64_t i;          /* NodeMCU's integer fold */
    int first, last;    /* token span */
    int folded;         /* produced by an operator */
} val_t;

typedef struct folder {
    const luac_lex_tok_t *tk;
    int n, pos;
    const char *src;
    lfs_diag_t *d;
    int err;
    val_t *spans;       /* folds to rewrite */
    int nspans, cap;
} folder_t;

/* Binary operator priorities of lparser.c (left, right); 0 if none. */
static int binop(const luac_lex_tok_t *t, int *left, int *right)
{
    static const struct { int t, l, r; } ops[] = {
        { '+', 6, 6 }, { '-', 6, 6 }, { '*', 7, 7 }, { '/', 7, 7 },
        { '%', 7, 7 }, { '^', 10, 9 }, { LUAC_TK_CONCAT, 5, 4 },
        { LUAC_TK_EQ, 3, 3 }, { LUAC_TK_NE, 3, 3 }, { '<', 3, 3 },
        { LUAC_TK_LE, 3, 3 }, { '>', 3, 3 }, { LUAC_TK_GE, 3, 3 },
        { LUAC_TK_AND, 2, 2 }, { LUAC_TK_OR, 1, 1 }
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (t->t == ops[k].t) {
            *left = ops[k].l;
            *right = ops[k].r;
            return 1;
        }
    return 0;
}

/* The operators stock Lua folds (lcode.c constfolding). */
static int is_arith(int t)
{
    return t == '+' || t == '-' || t == '*' || t == '/' || t == '%' ||
           t == '^';
}

static int refuse(folder_t *f, int tok, const char *why)
{
    if (!f->err)
        f->err = lfs_fail_line(f->d, f->tk[tok].line, LFS_EFORMAT,
            "cannot tell how NodeMCU's integer compiler folds this constant"
            " expression (%s); write the integer value you mean", why);
    return f->err;
}

static val_t subexpr(folder_t *f, int limit);

static val_t simple(folder_t *f)
{
    val_t v = { 0, 0, 0, f->pos, f->pos, 0 };
    const luac_lex_tok_t *t = &f->tk[f->pos];
    if (t->t == LUAC_TK_NUMBER) {
        const char *s = f->src + t->pos;
        char buf[64];
        size_t len = t->len < sizeof buf - 1 ? t->len : sizeof buf - 1;
        memcpy(buf, s, len);
        buf[len] = 0;
        v.isconst = 1;
        v.d = strtod(buf, NULL);
        v.i = (int64_t)strtoull(buf, NULL, 0);
        f->pos++;
    } else if (t->t == '(') {
        f->pos++;
        v = subexpr(f, 0);
        v.first--;
        if (v.isconst && f->pos < f->n && f->tk[f->pos].t == ')') {
            v.last = f->pos++;
        } else {
            v.isconst = 0;
        }
    }
    return v;
}

static void record(folder_t *f, val_t v)
{
    if (f->nspans == f->cap) {
        int cap = f->cap ? 2 * f->cap : 16;
        val_t *s = realloc(f->spans, sizeof *s * (size_t)cap);
        if (!s) {
            f->err = LFS_ENOMEM;
            return;
        }
        f->spans = s;
        f->cap = cap;
    }
    f->spans[f->nspans++] = v;
}

/* Fold a op b both ways; *ok = 0 when stock Lua would not fold. */
static val_t fold(folder_t *f, int op, val_t a, val_t b, int optok)
{
    val_t r = { 1, 0, 0, a.first, b.last, 1 };
    int64_t x = a.i, y = b.i, z = 0;
    switch (op) {
    case '+': r.d = a.d + b.d; z = x + y; break;
    case '-': r.d = a.d - b.d; z = x - y; break;
    case '*': r.d = a.d * b.d; z = x * y; break;
    case '/':
    case '%':
        if (b.d == 0)               /* stock Lua does not fold these */
            return (val_t){ 0, 0, 0, a.first, b.last, 0 };
        if (x < 0 || y < 0) {
            refuse(f, optok, "a negative operand of / or %");
            return r;
        }
        if (y == 0) {               /* 7 / 0.5: 0 as an integer */
            refuse(f, optok, "a divisor that is 0 as an integer");
            return r;
        }
        r.d = op == '/' ? a.d / b.d : a.d - floor(a.d / b.d) * b.d;
        z = op == '/' ? x / y : x % y;
        break;
    case '^':
        r.d = pow(a.d, b.d);
        if (y < 0) {
            refuse(f, optok, "a negative exponent");
            return r;
        }
        z = 1;
        for (int64_t k = 0; k < y && z <= INT32_MAX && z >= INT32_MIN; k++)
            z *= x;
        break;
    }
    if (isnan(r.d))
        return (val_t){ 0, 0, 0, a.first, b.last, 0 };
    if (z < INT32_MIN || z > INT32_MAX)
        refuse(f, optok, "it overflows 32 bits");
    r.i = z;
    return r;
}

static val_t subexpr(folder_t *f, int limit)
{
    val_t v;
    const luac_lex_tok_t *t = &f->tk[f->pos];
    if (t->t == '-') {
        int at = f->pos++;
        v = subexpr(f, 8);
        v.first = at;
        if (v.isconst) {
            v.d = -v.d;
            v.i = -v.i;
            v.folded = 1;
        }
    } else {
        v = simple(f);
    }
    while (!f->err && f->pos < f->n) {
        int l, r, optok = f->pos;
        if (!binop(&f->tk[optok], &l, &r) || l <= limit)
            break;
        f->pos++;
        val_t w = subexpr(f, r);
        int op = f->tk[optok].t;
        if (v.isconst && w.isconst && is_arith(op)) {
            v = fold(f, op, v, w, optok);
            if (v.isconst)
                record(f, v);
        } else {
            v.isconst = 0;
            if (!w.isconst && w.last == w.first && f->pos == w.first)
                break;      /* an operand we do not parse: stop here */
        }
    }
    return v;
}

/* Can a constant operand start at token i, and with what limit? */
static int start_limit(const luac_lex_tok_t *tk, int i, int *limit)
{
    const luac_lex_tok_t *t = &tk[i], *p = i ? &tk[i - 1] : NULL;
    int l, r;
    if (t->t != LUAC_TK_NUMBER && t->t != '-' && t->t != '(')
        return 0;
    if (p && (p->t == LUAC_TK_NAME || p->t == LUAC_TK_NUMBER ||
              p->t == LUAC_TK_STRING || p->t == ')' || p->t == ']' ||
              p->t == '}' || p->t == LUAC_TK_END || p->t == LUAC_TK_NIL ||
              p->t == LUAC_TK_TRUE || p->t == LUAC_TK_FALSE ||
              p->t == LUAC_TK_DOTS))
        return 0;           /* a binary minus, a call, or mid-operand */
    *limit = 0;
    if (p && binop(p, &l, &r))
        *limit = r;
    else if (p && (p->t == '-' || p->t == LUAC_TK_NOT || p->t == '#'))
        *limit = 8;
    return 1;
}

int luac_fold51(const char *src, size_t len, lfs_diag_t *d, char **out,
                size_t *outlen)
{
    luac_lex_tok_t *tk;
    int n;
    *out = NULL;
    if (luac_lex_scan(LUAC_LUA51, src, len, &tk, &n) != 0)
        return 0;           /* stock Lua reports what is wrong */
    folder_t f = { tk, n, 0, src, d, 0, NULL, 0, 0 };
    for (int i = 0; i < n && !f.err; i++) {
        int limit;
        if (!start_limit(tk, i, &limit))
            continue;
        f.pos = i;
        subexpr(&f, limit);
    }
    /* Keep the outermost folds whose integer value differs. */
    char *buf = NULL;
    size_t bl = 0;
    size_t at = 0;
    for (int k = 0; !f.err && k < f.nspans; k++) {
        val_t v = f.spans[k];
        if ((double)v.i == v.d)
            continue;
        int inner = 0;
        for (int j = 0; j < f.nspans && !inner; j++)
            inner = j != k && f.spans[j].first <= v.first &&
                    f.spans[j].last >= v.last &&
                    (f.spans[j].first < v.first || f.spans[j].last > v.last);
        if (inner)
            continue;
        size_t from = tk[v.first].pos, to = tk[v.last].pos + tk[v.last].len;
        if (from < at)
            continue;       /* the same span found from another start */
        size_t need = bl + (from - at) + 32 + (to - from);
        char *nb = realloc(buf, need);
        if (!nb) {
            f.err = LFS_ENOMEM;
            break;
        }
        buf = nb;
        memcpy(buf + bl, src + at, from - at);
        bl += from - at;
        bl += (size_t)sprintf(buf + bl, v.i < 0 ? "(%lld)" : "%lld",
                              (long long)v.i);
        for (size_t c = from; c < to; c++)
            if (src[c] == '\n')
                buf[bl++] = '\n';
        at = to;
    }
    if (!f.err && buf) {
        char *nb = realloc(buf, bl + (len - at) + 1);
        if (!nb) {
            f.err = LFS_ENOMEM;
        } else {
            buf = nb;
            memcpy(buf + bl, src + at, len - at);
            bl += len - at;
            buf[bl] = 0;
            *out = buf;
            *outlen = bl;
            buf = NULL;
        }
    }
    free(buf);
    free(f.spans);
    free(tk);
    if (f.err == LFS_ENOMEM)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    return f.err;
}
