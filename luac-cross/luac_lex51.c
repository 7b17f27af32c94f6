/*
** luac_lex51.c: the Lua 5.1 tokenizer (see luac_lex51.h). Lines count as in
** llex.c: "\n", "\r", "\n\r" and "\r\n" each end one line.
** May call: libc.
*/
#include "luac-cross/luac_lex51.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct lexer {
    const char *s;
    size_t n, i;
    int line;
    luac_token_t *toks;
    int ntoks, cap;
} lexer_t;

static const char *const keywords[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for",
    "function", "if", "in", "local", "nil", "not", "or", "repeat",
    "return", "then", "true", "until", "while"
};

static int at(const lexer_t *lx, size_t k)
{
    return lx->i + k < lx->n ? (unsigned char)lx->s[lx->i + k] : -1;
}

static int is_nl(int c) { return c == '\n' || c == '\r'; }

static void newline(lexer_t *lx)
{
    int c = at(lx, 0);
    lx->i++;
    if (is_nl(at(lx, 0)) && at(lx, 0) != c)
        lx->i++;
    lx->line++;
}

/* "[" "="* "[": the level, or -1 if this is not a long bracket. */
static int long_level(const lexer_t *lx)
{
    size_t k = 1;
    while (at(lx, k) == '=')
        k++;
    return at(lx, k) == '[' ? (int)k - 1 : -1;
}

static int skip_long(lexer_t *lx, int level)
{
    lx->i += (size_t)level + 2;
    for (;;) {
        int c = at(lx, 0);
        if (c < 0)
            return -1;
        if (is_nl(c)) {
            newline(lx);
            continue;
        }
        if (c == ']') {
            size_t k = 1;
            while (at(lx, k) == '=')
                k++;
            if (at(lx, k) == ']' && (int)k - 1 == level) {
                lx->i += k + 1;
                return 0;
            }
        }
        lx->i++;
    }
}

static int push(lexer_t *lx, luac_tok_t t, size_t start, const char *op)
{
    if (lx->ntoks == lx->cap) {
        int cap = lx->cap ? lx->cap * 2 : 1024;
        luac_token_t *nt = realloc(lx->toks, sizeof *nt * (size_t)cap);
        if (!nt)
            return -1;
        lx->toks = nt;
        lx->cap = cap;
    }
    luac_token_t *tk = &lx->toks[lx->ntoks++];
    memset(tk, 0, sizeof *tk);
    tk->t = t;
    tk->line = lx->line;
    tk->pos = start;
    tk->len = lx->i - start;
    if (op)
        strncpy(tk->op, op, sizeof tk->op - 1);
    return 0;
}

static int next_token(lexer_t *lx)
{
    for (;;) {
        int c = at(lx, 0);
        size_t start = lx->i;
        if (c < 0)
            return push(lx, TK_EOS, start, NULL) ? -1 : 1;
        if (is_nl(c)) {
            newline(lx);
        } else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
            lx->i++;
        } else if (c == '-' && at(lx, 1) == '-') {
            lx->i += 2;
            int lv = at(lx, 0) == '[' ? long_level(lx) : -1;
            if (lv >= 0) {
                if (skip_long(lx, lv))
                    return -1;
            } else {
                while (at(lx, 0) >= 0 && !is_nl(at(lx, 0)))
                    lx->i++;
            }
        } else if (c == '[' && long_level(lx) >= 0) {
            if (skip_long(lx, long_level(lx)))
                return -1;
            return push(lx, TK_STRING, start, NULL);
        } else if (c == '"' || c == '\'') {
            lx->i++;
            for (;;) {
                int d = at(lx, 0);
                if (d < 0 || is_nl(d))
                    return -1;
                lx->i++;
                if (d == c)
                    break;
                if (d == '\\') {
                    if (is_nl(at(lx, 0)))
                        newline(lx);
                    else if (at(lx, 0) >= 0)
                        lx->i++;
                }
            }
            return push(lx, TK_STRING, start, NULL);
        } else if (isdigit(c) || (c == '.' && isdigit(at(lx, 1)))) {
            /* As llex.c: digits and dots, an exponent, then alnum/_. */
            while (isdigit(at(lx, 0)) || at(lx, 0) == '.')
                lx->i++;
            if (at(lx, 0) == 'e' || at(lx, 0) == 'E') {
                lx->i++;
                if (at(lx, 0) == '+' || at(lx, 0) == '-')
                    lx->i++;
            }
            while (isalnum(at(lx, 0)) || at(lx, 0) == '_')
                lx->i++;
            return push(lx, TK_NUMBER, start, NULL);
        } else if (isalpha(c) || c == '_') {
            while (isalnum(at(lx, 0)) || at(lx, 0) == '_')
                lx->i++;
            luac_tok_t t = TK_NAME;
            for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
                if (strlen(keywords[k]) == lx->i - start &&
                    memcmp(keywords[k], lx->s + start, lx->i - start) == 0)
                    t = (luac_tok_t)(TK_AND + k);
            return push(lx, t, start, NULL);
        } else {
            static const char *const ops[] = { "...", "..", "==", "~=",
                                               "<=", ">=" };
            char op[4] = { (char)c, 0, 0, 0 };
            for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
                if (lx->i + strlen(ops[k]) <= lx->n &&
                    memcmp(lx->s + lx->i, ops[k], strlen(ops[k])) == 0) {
                    strcpy(op, ops[k]);
                    break;
                }
            lx->i += strlen(op);
            return push(lx, TK_OP, start, op);
        }
    }
}

int luac_lex51(const char *src, size_t len, luac_token_t **toks, int *n)
{
    lexer_t lx = { src, len, 0, 1, NULL, 0, 0 };
    /* A first line starting with '#' is skipped, as luaL_loadfile does. */
    if (len && src[0] == '#')
        while (at(&lx, 0) >= 0 && !is_nl(at(&lx, 0)))
            lx.i++;
    int rc;
    while ((rc = next_token(&lx)) == 0)
        ;
    if (rc < 0) {
        free(lx.toks);
        return -1;
    }
    *toks = lx.toks;
    *n = lx.ntoks;
    return 0;
}
