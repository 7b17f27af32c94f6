/*
** luac_check51.c: turns a tree compiled by stock Lua 5.1 into what
** NodeMCU's 5.1 compiler would have produced from the same source, or
** refuses with the reason (luac.h luac_check51):
**  - strip level 1: no local or upvalue names (docs/lfs51.md §3.8);
**  - line-info records: NodeMCU's compiler packs line info while it emits
**    code, and when luaK_fixline moves the last instruction to an earlier
**    line (a call whose arguments end on a later line than its "(", a for
**    loop's closing instruction, a function statement's store) that
**    instruction always opens a new record. Which instructions those are
**    is found by matching calls, loops and function statements in the
**    token stream with CALL/TAILCALL, FORLOOP/TFORLOOP and CLOSURE in the
**    code; if the two ever disagree no instruction is marked;
**  - the integer build: NodeMCU's lexer refuses a literal with a fraction
**    or exponent ("malformed number near '1.5'"), and every constant must
**    be a whole int32;
**  - more than 50 active locals: NodeMCU's compiler refuses, its firmware
**    runs them; we accept with a warning.
** May call: lfs/, luac_lex, libc.
*/
#include "luac-cross/luac.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luac-cross/luac_lex.h"

#define NODEMCU_MAXVARS 50

enum { OP_LOADK = 1, OP_GETGLOBAL = 5, OP_GETTABLE = 6, OP_SETGLOBAL = 7,
       OP_SETTABLE = 9, OP_SELF = 11, OP_ADD = 12, OP_POW = 17,
       OP_EQ = 23, OP_LE = 25, OP_CALL = 28, OP_TAILCALL = 29,
       OP_FORLOOP = 31, OP_TFORLOOP = 33, OP_CLOSURE = 36 };

#define GET_OP(i) ((int)((i) & 0x3F))
#define GET_B(i) ((int)((i) >> 23))
#define GET_C(i) ((int)(((i) >> 14) & 0x1FF))
#define GET_BX(i) ((int)((i) >> 14))

/* ---- line-info records ------------------------------------------------ */

typedef struct fixev {
    int L, E;           /* the line set by luaK_fixline; the emission line */
    int child;          /* function statements: the child Proto index */
} fixev_t;

typedef struct evlist {
    fixev_t *v;
    int n, cap;
} evlist_t;

typedef struct ctx {
    evlist_t calls, loops, funcs;   /* each in emission order */
    struct ctx **kids;
    int nkids, capkids;
    struct ctx *parent;
} ctx_t;

static int ev_push(evlist_t *l, int L, int E, int child)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        fixev_t *v = realloc(l->v, sizeof *v * (size_t)cap);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (fixev_t){ L, E, child };
    return 0;
}

static void ctx_free(ctx_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nkids; i++)
        ctx_free(c->kids[i]);
    free(c->kids);
    free(c->calls.v);
    free(c->loops.v);
    free(c->funcs.v);
    free(c);
}

static ctx_t *ctx_new(ctx_t *parent)
{
    ctx_t *c = calloc(1, sizeof *c);
    if (!c || !parent)
        return c;
    c->parent = parent;
    if (parent->nkids == parent->capkids) {
        int cap = parent->capkids ? parent->capkids * 2 : 8;
        ctx_t **k = realloc(parent->kids, sizeof *k * (size_t)cap);
        if (!k) {
            free(c);
            return NULL;
        }
        parent->kids = k;
        parent->capkids = cap;
    }
    parent->kids[parent->nkids++] = c;
    return c;
}

/* Block and bracket stack entries. */
enum { B_FUNC, B_FORHDR, B_WHILEHDR, B_FOR, B_DO, B_IF, B_REPEAT,
       B_PAREN, B_CALL };

typedef struct frame {
    int kind;
    int line;           /* for/function/call-open line */
    int funcstat;       /* B_FUNC: a function statement */
    int child;          /* B_FUNC: index in the parent */
    ctx_t *saved;       /* B_FUNC: the enclosing context */
    char close;         /* brackets: the closing character */
} frame_t;

static int ends_prefix(const luac_lex_tok_t *t, int call_end)
{
    if (t->t == LUAC_TK_NAME || t->t == ')' || t->t == ']')
        return 1;
    return call_end;    /* '}' or a string that closed call arguments */
}

/* Scan the tokens into a context tree; NULL on failure. */
static ctx_t *scan(const luac_lex_tok_t *tk, int n)
{
    ctx_t *root = ctx_new(NULL), *cur = root;
    frame_t *st = malloc(sizeof *st * (size_t)(n + 1));
    int sp = 0, ok = root && st, call_end = 0, funchdr = 0;
    for (int i = 0; ok && i < n && tk[i].t != LUAC_TK_EOS; i++) {
        const luac_lex_tok_t *t = &tk[i], *prev = i ? &tk[i - 1] : NULL;
        int was_call_end = call_end;
        call_end = 0;
        switch (t->t) {
        case LUAC_TK_FUNCTION: {
            ctx_t *c = ctx_new(cur);
            if (!c) {
                ok = 0;
                break;
            }
            frame_t f = { B_FUNC, t->line, 0, cur->nkids - 1, cur, 0 };
            f.funcstat = i + 1 < n && tk[i + 1].t == LUAC_TK_NAME &&
                         !(prev && prev->t == LUAC_TK_LOCAL);
            st[sp++] = f;
            cur = c;
            funchdr = 1;
            break;
        }
        case LUAC_TK_FOR:
            st[sp++] = (frame_t){ B_FORHDR, t->line, 0, 0, 0, 0 };
            break;
        case LUAC_TK_WHILE:
            st[sp++] = (frame_t){ B_WHILEHDR, 0, 0, 0, 0, 0 };
            break;
        case LUAC_TK_IF: st[sp++] = (frame_t){ B_IF, 0, 0, 0, 0, 0 };
            break;
        case LUAC_TK_REPEAT:
            st[sp++] = (frame_t){ B_REPEAT, 0, 0, 0, 0, 0 };
            break;
        case LUAC_TK_DO:
            if (sp && st[sp - 1].kind == B_FORHDR)
                st[sp - 1].kind = B_FOR;
            else if (sp && st[sp - 1].kind == B_WHILEHDR)
                st[sp - 1].kind = B_DO;
            else
                st[sp++] = (frame_t){ B_DO, 0, 0, 0, 0, 0 };
            break;
        case LUAC_TK_UNTIL:
            ok = sp && st[--sp].kind == B_REPEAT;
            break;
        case LUAC_TK_END: {
            if (!sp) {
                ok = 0;
                break;
            }
            frame_t f = st[--sp];
            if (f.kind == B_FUNC) {
                cur = f.saved;
                if (f.funcstat)
                    ok = !ev_push(&cur->funcs, f.line, t->line, f.child);
            } else if (f.kind == B_FOR) {
                ok = !ev_push(&cur->loops, f.line, prev->line, 0);
            } else {
                ok = f.kind == B_DO || f.kind == B_IF;
            }
            break;
        }
        case LUAC_TK_STRING:
            if (prev && ends_prefix(prev, was_call_end)) {
                ok = !ev_push(&cur->calls, t->line, t->line, 0);
                call_end = 1;
            }
            break;
        case '(': case '{': case '[': {
            int call = t->t != '[' && !funchdr && prev &&
                       ends_prefix(prev, was_call_end);
            if (t->t == '(')
                funchdr = 0;
            st[sp++] = (frame_t){ call ? B_CALL : B_PAREN, t->line, 0, 0,
                                  0, t->t == '(' ? ')'
                                     : t->t == '{' ? '}' : ']' };
            break;
        }
        case ')': case '}': case ']': {
            if (!sp || (st[sp - 1].kind != B_CALL &&
                        st[sp - 1].kind != B_PAREN) ||
                st[sp - 1].close != t->t) {
                ok = 0;
                break;
            }
            frame_t f = st[--sp];
            if (f.kind == B_CALL) {
                ok = !ev_push(&cur->calls, f.line, t->line, 0);
                call_end = t->t == '}';
            }
            break;
        }
        default:
            break;
        }
    }
    free(st);
    if (!ok || sp != 0 || cur != root) {
        ctx_free(root);
        return NULL;
    }
    return root;
}

/* Mark f's fixed instructions from its context; 0 if everything matched. */
static int apply(lfs_proto_t *f, const ctx_t *c, lfs_model_t *m)
{
    if (f->sizep != c->nkids || !f->sizelineinfo)
        return -1;
    uint8_t *fix = lfs_model_alloc(m, (size_t)f->sizecode);
    int nc = 0, nl = 0, any = 0;
    if (!fix)
        return -1;
    for (int i = 0; i < f->sizecode; i++) {
        uint32_t ins = f->code[i];
        int op = GET_OP(ins), line = f->lineinfo[i];
        const fixev_t *e = NULL;
        if (op == OP_CALL || op == OP_TAILCALL) {
            if (nc >= c->calls.n)
                return -1;
            e = &c->calls.v[nc++];
        } else if (op == OP_FORLOOP || op == OP_TFORLOOP) {
            if (nl >= c->loops.n)
                return -1;
            e = &c->loops.v[nl++];
        }
        if (e) {
            if (e->L != line)
                return -1;
            if (e->E != e->L)
                fix[i] = 1, any = 1;
        }
        if (op == OP_CLOSURE) {
            for (int k = 0; k < c->funcs.n; k++) {
                const fixev_t *fe = &c->funcs.v[k];
                if (fe->child != GET_BX(ins) || fe->E == fe->L)
                    continue;
                /* The store (or the last pseudo-instruction) moved to L. */
                int j = i, last = i + 1 + f->p[fe->child]->nups;
                while (j <= last && j < f->sizecode && f->lineinfo[j] != fe->L)
                    j++;
                if (j > last || j >= f->sizecode)
                    return -1;
                fix[j] = 1;
                any = 1;
            }
        }
    }
    if (nc != c->calls.n || nl != c->loops.n)
        return -1;
    for (int i = 0; i < f->sizep; i++)
        if (apply(f->p[i], c->kids[i], m))
            return -1;
    f->linefix = any ? fix : NULL;
    return 0;
}

static void clear_fix(lfs_proto_t *f)
{
    f->linefix = NULL;
    for (int i = 0; i < f->sizep; i++)
        clear_fix(f->p[i]);
}

/* ---- integer build ---------------------------------------------------- */

/* The line of the first instruction that uses constant k, or 0. */
static int const_line(const lfs_proto_t *f, int k)
{
    for (int i = 0; i < f->sizecode && f->sizelineinfo; i++) {
        uint32_t ins = f->code[i];
        int op = GET_OP(ins), b = GET_B(ins), c = GET_C(ins);
        int uses = (op == OP_LOADK || op == OP_GETGLOBAL ||
                    op == OP_SETGLOBAL) ? GET_BX(ins) == k
                 : (op == OP_GETTABLE || op == OP_SELF) ? c == 256 + k
                 : (op == OP_SETTABLE || (op >= OP_ADD && op <= OP_POW) ||
                    (op >= OP_EQ && op <= OP_LE))
                   ? (b == 256 + k || c == 256 + k) : 0;
        if (uses)
            return f->lineinfo[i];
    }
    return 0;
}

static int check_int(const lfs_proto_t *f, lfs_diag_t *d)
{
    for (int i = 0; i < f->sizek; i++) {
        const lfs_const_t *k = &f->k[i];
        if (k->type != LFS_KNUM)
            continue;
        if (k->n != floor(k->n) || k->n < INT32_MIN || k->n > INT32_MAX)
            return lfs_fail_line(d, const_line(f, i), LFS_EFORMAT,
                "constant %.14g is not a whole number in int32 range; the"
                " integer build holds only those (a constant expression"
                " such as 7/2 is folded in doubles by the host compiler;"
                " write its integer value, or build with --target"
                " 5.1-float)", k->n);
    }
    for (int i = 0; i < f->sizep; i++)
        if (check_int(f->p[i], d))
            return d->code;
    return 0;
}

static int check_int_literals(const luac_lex_tok_t *tk, int n,
                              const char *src, lfs_diag_t *d)
{
    for (int i = 0; i < n; i++) {
        if (tk[i].t != LUAC_TK_NUMBER)
            continue;
        const char *s = src + tk[i].pos;
        int hex = tk[i].len > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        if (!hex && (memchr(s, '.', tk[i].len) || memchr(s, 'e', tk[i].len) ||
                     memchr(s, 'E', tk[i].len)))
            return lfs_fail_line(d, tk[i].line, LFS_EFORMAT,
                                 "malformed number near '%.*s' (the integer"
                                 " build takes whole numbers only)",
                                 (int)tk[i].len, s);
    }
    return 0;
}

/* ---- locals and stripping -------------------------------------------- */

static int max_active(const lfs_proto_t *f)
{
    int best = 0;
    for (int i = 0; i < f->sizelocvars; i++) {
        int pc = f->locvars[i].startpc, live = 0;
        for (int j = 0; j < f->sizelocvars; j++)
            if (f->locvars[j].startpc <= pc && pc < f->locvars[j].endpc)
                live++;
        if (live > best)
            best = live;
    }
    return best;
}

static void strip_names(lfs_proto_t *f, const char *file, luac_warn_fn warn)
{
    int live = max_active(f);
    if (live > NODEMCU_MAXVARS && warn) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s:%d: function has %d local variables;"
                 " NodeMCU's own compiler allows %d (the firmware runs it)",
                 file, f->linedefined ? f->linedefined : 1, live,
                 NODEMCU_MAXVARS);
        warn(msg);
    }
    f->sizelocvars = 0;
    f->locvars = NULL;
    f->sizeupvalues = 0;
    f->upvalues = NULL;
    for (int i = 0; i < f->sizep; i++)
        strip_names(f->p[i], file, warn);
}

int luac_check51(lfs_proto_t *f, const char *src, size_t len,
                 const char *file, luac_target_t t, lfs_model_t *m,
                 lfs_diag_t *d, luac_warn_fn warn)
{
    luac_lex_tok_t *tk = NULL;
    int n = 0;
    if (src && luac_lex_scan(LUAC_LUA51, src, len, &tk, &n) != 0)
        tk = NULL;
    if (t == LUAC_T51_INT) {
        if (tk && check_int_literals(tk, n, src, d)) {
            free(tk);
            return d->code;
        }
        if (check_int(f, d)) {
            free(tk);
            return d->code;
        }
    }
    strip_names(f, file, warn);
    ctx_t *c = tk ? scan(tk, n) : NULL;
    if (!c || apply(f, c, m))
        clear_fix(f);
    ctx_free(c);
    free(tk);
    return 0;
}
