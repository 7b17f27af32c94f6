/*
** luac_parse53.c: the syntax-only Lua 5.3 parser (see luac_parse53.h). It
** follows lparser.c's grammar and the order in which lcode.c emits and
** fixes instructions, without generating code:
**  - lastline is the line of the last token consumed (luaX_next); a table
**    field starting with a name looks one token ahead first, which moves
**    both that line and the current line to the next token, as in llex.c;
**  - an operator's instruction is emitted after its second operand (E =
**    lastline then) and fixed to the operator's line; a call's after its
**    arguments, fixed to the line where its prefix expression started;
**    FORLOOP (TFORCALL, TFORLOOP) after the loop body, fixed to the 'for'
**    line; ".." on a ".." result merges into it without a new
**    instruction; operators on numerals fold (lcode.c constfolding);
**  - constants: every expression carries what it is for the host (Debian,
**    64-bit numbers) and for the int32/float target: not constant, a
**    numeral with its value, or a constant that is true (string, true) or
**    false (nil, false) for and/or/not. Where an expression's value is
**    used (it is an operand of something that is not folded, or the value
**    of a statement's expression), a numeral whose host reading differs
**    from the target's is queued for rewriting (luac_fold53).
** May call: luac_lex, luac_fold53 (number semantics), libc.
*/
#include "luac-cross/luac_parse53.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luac-cross/luac_lex.h"

#define MAXDEPTH 1000   /* more than LUAI_MAXCCALLS: the host refuses first */

enum { XNONE, XNUM, XTRUE, XFALSE };

typedef struct view {
    int k;                  /* XNONE .. XFALSE */
    luac_num53_t v;         /* XNUM */
} view_t;

typedef struct ex {
    view_t h, t;            /* host and target */
    int first, last;        /* tokens of the whole expression */
    int rfirst, rlast;      /* the tokens a rewrite replaces */
    int concat;             /* the value of a '..' (an open CONCAT) */
} ex_t;

typedef struct ps {
    const char *src;
    const luac_lex_tok_t *tk;
    int n, i;
    int lastline;
    int la;                 /* llex looked ahead past token i */
    int fold;
    int depth;
    int fail;               /* cannot scan: syntax or memory */
    luac_fn53_t *fn;
    luac_parse53_t *out;
} ps_t;

/* ---- tokens ----------------------------------------------------------- */

static int cur(const ps_t *p) { return p->tk[p->i].t; }

static int curline(const ps_t *p)
{
    return p->la ? p->tk[p->i + 1].line : p->tk[p->i].line;
}

static void next(ps_t *p)
{
    p->lastline = curline(p);
    if (p->tk[p->i].t != LUAC_TK_EOS)
        p->i++;
    p->la = 0;
}

static int testnext(ps_t *p, int t)
{
    if (cur(p) != t)
        return 0;
    next(p);
    return 1;
}

static void checknext(ps_t *p, int t)
{
    if (!testnext(p, t))
        p->fail = 1;
}

static int block_follow(const ps_t *p, int withuntil)
{
    switch (cur(p)) {
    case LUAC_TK_ELSE: case LUAC_TK_ELSEIF: case LUAC_TK_END:
    case LUAC_TK_EOS:
        return 1;
    case LUAC_TK_UNTIL:
        return withuntil;
    default:
        return 0;
    }
}

/* ---- events and rewrites ---------------------------------------------- */

static void event(ps_t *p, int kind, int L, int E, int emits)
{
    luac_fn53_t *f = p->fn;
    if (!f || p->fail)
        return;
    if (f->nev[kind] == f->cap[kind]) {
        int cap = f->cap[kind] ? f->cap[kind] * 2 : 32;
        luac_ev53_t *v = realloc(f->ev[kind], sizeof *v * (size_t)cap);
        if (!v) {
            p->fail = 1;
            return;
        }
        f->ev[kind] = v;
        f->cap[kind] = cap;
    }
    f->ev[kind][f->nev[kind]++] = (luac_ev53_t){ L, E, emits };
}

static luac_fn53_t *open_fn(ps_t *p)
{
    luac_fn53_t *parent = p->fn, *f = calloc(1, sizeof *f);
    if (!f) {
        p->fail = 1;
        return parent;
    }
    if (parent->nkids == parent->capkids) {
        int cap = parent->capkids ? parent->capkids * 2 : 8;
        luac_fn53_t **k = realloc(parent->kids, sizeof *k * (size_t)cap);
        if (!k) {
            free(f);
            p->fail = 1;
            return parent;
        }
        parent->kids = k;
        parent->capkids = cap;
    }
    parent->kids[parent->nkids++] = f;
    p->fn = f;
    return parent;
}

static void refuse(ps_t *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void refuse(ps_t *p, int line, const char *fmt, ...)
{
    va_list ap;
    if (p->out->err_line)
        return;
    p->out->err_line = line > 0 ? line : 1;
    va_start(ap, fmt);
    vsnprintf(p->out->err, sizeof p->out->err, fmt, ap);
    va_end(ap);
}

static void add_rewrite(ps_t *p, int first, int last, luac_num53_t v)
{
    luac_parse53_t *o = p->out;
    if (o->nrw == o->caprw) {
        int cap = o->caprw ? o->caprw * 2 : 16;
        luac_rw53_t *r = realloc(o->rw, sizeof *r * (size_t)cap);
        if (!r) {
            p->fail = 1;
            return;
        }
        o->rw = r;
        o->caprw = cap;
    }
    luac_rw53_t *r = &o->rw[o->nrw++];
    r->pos = (uint32_t)p->tk[first].pos;
    r->len = (uint32_t)(p->tk[last].pos + p->tk[last].len - r->pos);
    luac_num53_text(v, r->text, sizeof r->text);
}

static void text_of(const ps_t *p, const ex_t *e, char *buf, size_t n)
{
    size_t a = p->tk[e->first].pos;
    size_t b = p->tk[e->last].pos + p->tk[e->last].len;
    size_t len = b - a < n - 1 ? b - a : n - 1;
    memcpy(buf, p->src + a, len);
    buf[len] = 0;
    for (size_t k = 0; k < len; k++)
        if (buf[k] == '\n' || buf[k] == '\r' || buf[k] == '\t')
            buf[k] = ' ';
    if (b - a > n - 1 && n > 4)
        memcpy(buf + n - 4, "...", 4);
}

/* The value of e is used as it is: if it is a numeral on the target that
** the host would read differently, rewrite it to the target's value. */
static void finalize(ps_t *p, const ex_t *e)
{
    if (!p->fold)
        return;
    if (e->t.k == XNUM) {
        if (e->h.k != XNUM || !luac_num53_same(e->h.v, e->t.v))
            add_rewrite(p, e->rfirst, e->rlast, e->t.v);
    } else if (e->h.k == XNUM) {
        char txt[80];
        text_of(p, e, txt, sizeof txt);
        refuse(p, p->tk[e->last].line, "the constant expression '%s' is"
               " folded by 64-bit Lua but not by NodeMCU's 32-bit"
               " compiler, so the code differs; write it differently, or"
               " build with --target 5.3-64", txt);
    }
}

/* An operator the target does not fold: the host, seeing the target's
** values of the operands (after rewriting), must not fold it either. */
static void check_nofold(ps_t *p, int op, const ex_t *a, const ex_t *b,
                         int line)
{
    luac_num53_t r;
    if (!p->fold || a->t.k != XNUM || b->t.k != XNUM)
        return;
    if (luac_num53_fold(op, a->t.v, b->t.v, 0, &r)) {
        char txt[80], val[48];
        ex_t whole = *a;
        whole.last = b->last;
        if (b->first < a->first)
            whole.first = b->first;
        text_of(p, &whole, txt, sizeof txt);
        luac_num53_show(r, val, sizeof val);
        refuse(p, line, "NodeMCU's 32-bit compiler does not fold the"
               " constant expression '%s' (its float result is 0, or an"
               " operand has no 32-bit integer value) while 64-bit Lua"
               " folds it to %s; the code would differ; write it"
               " differently, or build with --target 5.3-64", txt, val);
    }
}

/* ---- expressions ------------------------------------------------------ */

static void expr(ps_t *p, ex_t *e);
static void block(ps_t *p);
static void body(ps_t *p, int line);

static void nonconst(ex_t *e, int first, int last)
{
    memset(e, 0, sizeof *e);
    e->first = e->rfirst = first;
    e->last = e->rlast = last;
}

/* An expression in a place where its value is used. */
static void expr_final(ps_t *p)
{
    ex_t e;
    expr(p, &e);
    finalize(p, &e);
}

static int explist(ps_t *p)
{
    int n = 1;
    expr_final(p);
    while (testnext(p, ',')) {
        expr_final(p);
        n++;
    }
    return n;
}

static void constructor(ps_t *p)
{
    checknext(p, '{');
    while (!p->fail && cur(p) != '}') {
        if (cur(p) == LUAC_TK_NAME) {
            p->la = 1;                  /* luaX_lookahead */
            if (p->tk[p->i + 1].t == '=') {
                next(p);
                next(p);
            }
            expr_final(p);
        } else if (cur(p) == '[') {
            next(p);
            expr_final(p);
            checknext(p, ']');
            checknext(p, '=');
            expr_final(p);
        } else {
            expr_final(p);
        }
        if (!testnext(p, ',') && !testnext(p, ';'))
            break;
    }
    checknext(p, '}');
}

static void funcargs(ps_t *p, int line)
{
    switch (cur(p)) {
    case '(':
        next(p);
        if (cur(p) != ')')
            explist(p);
        checknext(p, ')');
        break;
    case '{':
        constructor(p);
        break;
    case LUAC_TK_STRING:
        next(p);
        break;
    default:
        p->fail = 1;
        return;
    }
    event(p, LUAC_EV_CALL, line, p->lastline, 1);
}

static void suffixedexp(ps_t *p, ex_t *e)
{
    int line = curline(p), first = p->i;
    if (cur(p) == LUAC_TK_NAME) {
        next(p);
        nonconst(e, first, first);
    } else if (cur(p) == '(') {
        next(p);
        expr(p, e);
        checknext(p, ')');
        e->first = first;
        e->last = p->i - 1;
    } else {
        p->fail = 1;
        nonconst(e, first, first);
        return;
    }
    for (;;) {
        switch (cur(p)) {
        case '.':
            finalize(p, e);
            next(p);
            checknext(p, LUAC_TK_NAME);
            break;
        case '[':
            finalize(p, e);
            next(p);
            expr_final(p);
            checknext(p, ']');
            break;
        case ':':
            finalize(p, e);
            next(p);
            checknext(p, LUAC_TK_NAME);
            funcargs(p, line);
            break;
        case '(': case LUAC_TK_STRING: case '{':
            finalize(p, e);
            funcargs(p, line);
            break;
        default:
            return;
        }
        if (p->fail)
            return;
        nonconst(e, first, p->i - 1);
    }
}

static void simpleexp(ps_t *p, ex_t *e)
{
    int first = p->i;
    nonconst(e, first, first);
    switch (cur(p)) {
    case LUAC_TK_NUMBER: {
        const luac_lex_tok_t *t = &p->tk[p->i];
        e->h.k = e->t.k = XNUM;
        if (luac_num53_read(p->src + t->pos, t->len, 0, &e->h.v) < 0) {
            p->fail = 1;
            return;
        }
        if (p->fold) {
            int rc = luac_num53_read(p->src + t->pos, t->len, 1, &e->t.v);
            if (rc < 0)
                p->fail = 1;
            else if (rc > 0)
                refuse(p, t->line, "cannot tell which single-precision"
                       " float NodeMCU's compiler reads for '%.*s' (it"
                       " lies too close to halfway between two); write"
                       " it with fewer digits, or build with --target"
                       " 5.3-64", (int)t->len, p->src + t->pos);
        } else {
            e->t = e->h;
        }
        next(p);
        return;
    }
    case LUAC_TK_STRING: case LUAC_TK_TRUE:
        e->h.k = e->t.k = XTRUE;
        next(p);
        return;
    case LUAC_TK_NIL: case LUAC_TK_FALSE:
        e->h.k = e->t.k = XFALSE;
        next(p);
        return;
    case LUAC_TK_DOTS:
        next(p);
        return;
    case '{':
        constructor(p);
        nonconst(e, first, p->i - 1);
        return;
    case LUAC_TK_FUNCTION: {
        int line = curline(p);
        next(p);
        body(p, line);
        nonconst(e, first, p->i - 1);
        return;
    }
    default:
        suffixedexp(p, e);
        return;
    }
}

static int unop(int t)
{
    switch (t) {
    case LUAC_TK_NOT: return 0;
    case '-': return LUAC_OPUNM;
    case '~': return LUAC_OPBNOT;
    case '#': return 100;
    default: return -1;
    }
}

/* Binary operators: lua op (or a code >= 100), left and right priority. */
static int binop(int t, int *l, int *r)
{
    static const struct { int t, op, l, r; } ops[] = {
        { '+', LUAC_OPADD, 10, 10 }, { '-', LUAC_OPSUB, 10, 10 },
        { '*', LUAC_OPMUL, 11, 11 }, { '%', LUAC_OPMOD, 11, 11 },
        { '^', LUAC_OPPOW, 14, 13 }, { '/', LUAC_OPDIV, 11, 11 },
        { LUAC_TK_IDIV, LUAC_OPIDIV, 11, 11 }, { '&', LUAC_OPBAND, 6, 6 },
        { '|', LUAC_OPBOR, 4, 4 }, { '~', LUAC_OPBXOR, 5, 5 },
        { LUAC_TK_SHL, LUAC_OPSHL, 7, 7 }, { LUAC_TK_SHR, LUAC_OPSHR, 7, 7 },
        { LUAC_TK_CONCAT, 101, 9, 8 },
        { LUAC_TK_EQ, 102, 3, 3 }, { '<', 102, 3, 3 },
        { LUAC_TK_LE, 102, 3, 3 }, { LUAC_TK_NE, 102, 3, 3 },
        { '>', 102, 3, 3 }, { LUAC_TK_GE, 102, 3, 3 },
        { LUAC_TK_AND, 103, 2, 2 }, { LUAC_TK_OR, 104, 1, 1 }
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (ops[k].t == t) {
            *l = ops[k].l;
            *r = ops[k].r;
            return ops[k].op;
        }
    return -1;
}

#define UNARY_PRIORITY 12

static int truthy(int k) { return k == XNUM || k == XTRUE; }

/* Fold one view; XNONE when not folded. */
static view_t fold_view(int op, view_t a, view_t b, int w32)
{
    view_t r = { XNONE, { 0, 0, 0 } };
    if (a.k == XNUM && b.k == XNUM && luac_num53_fold(op, a.v, b.v, w32,
                                                      &r.v))
        r.k = XNUM;
    return r;
}

static void prefix(ps_t *p, int op, ex_t *e, int line, int first)
{
    static const view_t zero = { XNUM, { 1, 0, 0 } };
    ex_t r;
    nonconst(&r, first, e->last);
    if (op == 0) {                                  /* not */
        finalize(p, e);
        if (e->t.k != XNONE)
            r.t.k = truthy(e->t.k) ? XFALSE : XTRUE;
        if (e->h.k != XNONE)
            r.h.k = truthy(e->h.k) ? XFALSE : XTRUE;
    } else if (op == 100) {                         /* # */
        finalize(p, e);
        event(p, LUAC_EV_ARITH, line, p->lastline, 1);
    } else {
        r.h = fold_view(op, e->h, zero, 0);
        r.t = p->fold ? fold_view(op, e->t, zero, 1) : r.h;
        if (r.t.k != XNUM) {
            finalize(p, e);
            ex_t z;
            nonconst(&z, e->first, e->last);
            z.t = zero;
            check_nofold(p, op, e, &z, line);
        }
        event(p, LUAC_EV_ARITH, line, p->lastline, r.h.k != XNUM);
    }
    *e = r;
}

static void posfix(ps_t *p, int op, ex_t *a, ex_t *b, int line)
{
    ex_t r;
    nonconst(&r, a->first, b->last);
    if (op == 103 || op == 104) {                   /* and, or */
        finalize(p, a);
        int pass = op == 103 ? truthy(a->t.k) : a->t.k == XFALSE;
        if (pass) {
            r = *b;
            r.first = a->first;
        } else {
            finalize(p, b);
        }
    } else if (op == 101) {                         /* .. */
        finalize(p, a);
        finalize(p, b);
        event(p, LUAC_EV_ARITH, line, p->lastline, !b->concat);
        r.concat = 1;
    } else if (op == 102) {                         /* comparisons */
        finalize(p, a);
        finalize(p, b);
    } else {
        r.h = fold_view(op, a->h, b->h, 0);
        r.t = p->fold ? fold_view(op, a->t, b->t, 1) : r.h;
        if (r.t.k != XNUM) {
            finalize(p, a);
            finalize(p, b);
            check_nofold(p, op, a, b, line);
        }
        event(p, LUAC_EV_ARITH, line, p->lastline, r.h.k != XNUM);
    }
    *a = r;
}

static int subexpr(ps_t *p, ex_t *e, int limit)
{
    int l, r, first = p->i;
    if (++p->depth > MAXDEPTH) {
        p->fail = 1;
        nonconst(e, first, first);
        return -1;
    }
    int uop = unop(cur(p));
    if (uop >= 0) {
        int line = curline(p);
        next(p);
        subexpr(p, e, UNARY_PRIORITY);
        prefix(p, uop, e, line, first);
    } else {
        simpleexp(p, e);
    }
    int op = binop(cur(p), &l, &r);
    while (op >= 0 && l > limit && !p->fail) {
        ex_t b;
        int line = curline(p);
        next(p);
        int nextop = subexpr(p, &b, r);
        posfix(p, op, e, &b, line);
        op = nextop;
        if (op >= 0)
            binop(cur(p), &l, &r);
    }
    p->depth--;
    return op;
}

static void expr(ps_t *p, ex_t *e)
{
    subexpr(p, e, 0);
}

/* ---- statements ------------------------------------------------------- */

static void body(ps_t *p, int line)
{
    luac_fn53_t *parent = open_fn(p);
    (void)line;
    checknext(p, '(');
    if (cur(p) != ')') {
        do {
            if (cur(p) == LUAC_TK_DOTS) {
                next(p);
                break;
            }
            checknext(p, LUAC_TK_NAME);
        } while (!p->fail && testnext(p, ','));
    }
    checknext(p, ')');
    block(p);
    checknext(p, LUAC_TK_END);
    p->fn = parent;
}

static void forbody(ps_t *p, int line, int isnum)
{
    checknext(p, LUAC_TK_DO);
    block(p);
    if (isnum) {
        event(p, LUAC_EV_FORNUM, line, p->lastline, 1);
    } else {
        event(p, LUAC_EV_FORGEN, line, p->lastline, 1);
        event(p, LUAC_EV_FORGEN, line, p->lastline, 1);
    }
}

static void forstat(ps_t *p, int line)
{
    next(p);
    checknext(p, LUAC_TK_NAME);
    if (testnext(p, '=')) {
        expr_final(p);
        checknext(p, ',');
        expr_final(p);
        if (testnext(p, ','))
            expr_final(p);
        forbody(p, line, 1);
    } else {
        while (testnext(p, ','))
            checknext(p, LUAC_TK_NAME);
        checknext(p, LUAC_TK_IN);
        line = curline(p);          /* lparser.c forlist: not 'for' */
        explist(p);
        forbody(p, line, 0);
    }
    checknext(p, LUAC_TK_END);
}

static void exprstat(ps_t *p)
{
    ex_t e;
    suffixedexp(p, &e);
    if (cur(p) == '=' || cur(p) == ',') {
        while (testnext(p, ','))
            suffixedexp(p, &e);
        checknext(p, '=');
        explist(p);
    }
}

static void statement(ps_t *p)
{
    int line = curline(p);
    if (++p->depth > MAXDEPTH) {
        p->fail = 1;
        return;
    }
    switch (cur(p)) {
    case ';':
        next(p);
        break;
    case LUAC_TK_IF:
        do {
            next(p);
            expr_final(p);
            checknext(p, LUAC_TK_THEN);
            block(p);
        } while (!p->fail && cur(p) == LUAC_TK_ELSEIF);
        if (testnext(p, LUAC_TK_ELSE))
            block(p);
        checknext(p, LUAC_TK_END);
        break;
    case LUAC_TK_WHILE:
        next(p);
        expr_final(p);
        checknext(p, LUAC_TK_DO);
        block(p);
        checknext(p, LUAC_TK_END);
        break;
    case LUAC_TK_DO:
        next(p);
        block(p);
        checknext(p, LUAC_TK_END);
        break;
    case LUAC_TK_FOR:
        forstat(p, line);
        break;
    case LUAC_TK_REPEAT:
        next(p);
        block(p);
        checknext(p, LUAC_TK_UNTIL);
        expr_final(p);
        break;
    case LUAC_TK_FUNCTION:
        next(p);
        checknext(p, LUAC_TK_NAME);
        while (testnext(p, '.'))
            checknext(p, LUAC_TK_NAME);
        if (testnext(p, ':'))
            checknext(p, LUAC_TK_NAME);
        body(p, line);
        event(p, LUAC_EV_FUNCSTAT, line, p->lastline, 1);
        break;
    case LUAC_TK_LOCAL:
        next(p);
        if (testnext(p, LUAC_TK_FUNCTION)) {
            checknext(p, LUAC_TK_NAME);
            body(p, line);
        } else {
            do
                checknext(p, LUAC_TK_NAME);
            while (!p->fail && testnext(p, ','));
            if (testnext(p, '='))
                explist(p);
        }
        break;
    case LUAC_TK_DBCOLON:
        next(p);
        checknext(p, LUAC_TK_NAME);
        checknext(p, LUAC_TK_DBCOLON);
        break;
    case LUAC_TK_RETURN:
        next(p);
        if (!block_follow(p, 1) && cur(p) != ';')
            explist(p);
        testnext(p, ';');
        break;
    case LUAC_TK_BREAK:
        next(p);
        break;
    case LUAC_TK_GOTO:
        next(p);
        checknext(p, LUAC_TK_NAME);
        break;
    default:
        exprstat(p);
        break;
    }
    p->depth--;
}

static void block(ps_t *p)
{
    while (!p->fail && !block_follow(p, 1)) {
        if (cur(p) == LUAC_TK_RETURN) {
            statement(p);
            return;
        }
        statement(p);
    }
}

static int by_pos(const void *a, const void *b)
{
    const luac_rw53_t *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void free_fn(luac_fn53_t *fn)
{
    if (!fn)
        return;
    for (int i = 0; i < fn->nkids; i++)
        free_fn(fn->kids[i]);
    for (int k = 0; k < LUAC_EV_KINDS; k++)
        free(fn->ev[k]);
    free(fn->kids);
    free(fn);
}

int luac_parse53(const char *src, size_t len, int fold, luac_parse53_t *out)
{
    ps_t p;
    luac_lex_tok_t *tk;
    int n;
    memset(out, 0, sizeof *out);
    if (luac_lex_scan(LUAC_LUA53, src, len, &tk, &n))
        return -1;
    memset(&p, 0, sizeof p);
    p.src = src;
    p.tk = tk;
    p.n = n;
    p.fold = fold;
    p.out = out;
    p.fn = out->main = calloc(1, sizeof *out->main);
    if (!p.fn)
        p.fail = 1;
    block(&p);
    if (cur(&p) != LUAC_TK_EOS)
        p.fail = 1;
    free(tk);
    if (p.fail) {
        luac_parse53_free(out);
        return -1;
    }
    if (out->nrw > 1)
        qsort(out->rw, (size_t)out->nrw, sizeof *out->rw, by_pos);
    return 0;
}

void luac_parse53_free(luac_parse53_t *out)
{
    free_fn(out->main);
    free(out->rw);
    memset(out, 0, sizeof *out);
}
