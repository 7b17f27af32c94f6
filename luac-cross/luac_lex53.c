/*
** luac_lex53.c: the Lua 5.3 tokenizer (see luac_lex53.h). Lines count as
** in llex.c: "\n", "\r", "\n\r" and "\r\n" each end one line; a token's
** line is the line of its last character. Numerals are delimited as
** llex.c read_numeral does (hex digits, '.', exponent and its sign).
** May call: libc.
*/
#include "luac-cross/luac_lex53.h"

#include <stdlib.h>
#include <string.h>

typedef struct lexer {
    const char *s;
    size_t n, i;
    int line;
    luac_tok53_t *toks;
    int ntoks, cap;
} lexer_t;

static const char *const keywords[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for",
    "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
    "return", "then", "true", "until", "while"
};

static int at(const lexer_t *lx, size_t k)
{
    return lx->i + k < lx->n ? (unsigned char)lx->s[lx->i + k] : -1;
}

static int is_nl(int c) { return c == '\n' || c == '\r'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int is_xdigit(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || is_nl(c);
}

static void newline(lexer_t *lx)
{
    int c = at(lx, 0);
    lx->i++;
    if (is_nl(at(lx, 0)) && at(lx, 0) != c)
        lx->i++;
    lx->line++;
}

/* At "[": the level of "[" "="* "[", or -1 if this is not a long bracket. */
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

static int skip_string(lexer_t *lx)
{
    int q = at(lx, 0);
    lx->i++;
    for (;;) {
        int c = at(lx, 0);
        if (c < 0 || is_nl(c))
            return -1;
        if (c == q) {
            lx->i++;
            return 0;
        }
        if (c != '\\') {
            lx->i++;
            continue;
        }
        lx->i++;
        c = at(lx, 0);
        if (c < 0)
            return -1;
        if (is_nl(c)) {
            newline(lx);
        } else if (c == 'z') {
            lx->i++;
            while (is_space(at(lx, 0))) {
                if (is_nl(at(lx, 0)))
                    newline(lx);
                else
                    lx->i++;
            }
        } else {
            lx->i++;        /* \x, \u{...} and \ddd: the rest is plain */
        }
    }
}

static int push(lexer_t *lx, int t, size_t start)
{
    if (lx->ntoks == lx->cap) {
        int cap = lx->cap ? lx->cap * 2 : 1024;
        luac_tok53_t *v = realloc(lx->toks, sizeof *v * (size_t)cap);
        if (!v)
            return -1;
        lx->toks = v;
        lx->cap = cap;
    }
    luac_tok53_t *k = &lx->toks[lx->ntoks++];
    k->t = t;
    k->line = lx->line;
    k->pos = (uint32_t)start;
    k->len = (uint32_t)(lx->i - start);
    return 0;
}

static void numeral(lexer_t *lx)
{
    const char *expo = "Ee";
    if (at(lx, 0) == '0' && (at(lx, 1) == 'x' || at(lx, 1) == 'X')) {
        lx->i += 2;
        expo = "Pp";
    }
    for (;;) {
        int c = at(lx, 0);
        if (c == expo[0] || c == expo[1]) {
            lx->i++;
            if (at(lx, 0) == '+' || at(lx, 0) == '-')
                lx->i++;
        } else if (is_xdigit(c) || c == '.') {
            lx->i++;
        } else {
            break;
        }
    }
}

static const struct { const char *s; int t; } ops[] = {
    { "...", T53_DOTS }, { "..", T53_CONCAT }, { "//", T53_IDIV },
    { "==", T53_EQ }, { ">=", T53_GE }, { "<=", T53_LE }, { "~=", T53_NE },
    { "<<", T53_SHL }, { ">>", T53_SHR }, { "::", T53_DBCOLON }
};

int luac_lex53(const char *src, size_t len, luac_tok53_t **toks, int *n)
{
    lexer_t lx = { src, len, 0, 1, NULL, 0, 0 };
    int rc = 0;
    while (!rc) {
        int c = at(&lx, 0);
        size_t start = lx.i;
        if (c < 0) {
            rc = push(&lx, T53_EOS, start);
            break;
        }
        if (is_nl(c)) {
            newline(&lx);
        } else if (is_space(c)) {
            lx.i++;
        } else if (c == '-' && at(&lx, 1) == '-') {
            lx.i += 2;
            int lv = at(&lx, 0) == '[' ? long_level(&lx) : -1;
            if (lv >= 0) {
                rc = skip_long(&lx, lv);
            } else {
                while (at(&lx, 0) >= 0 && !is_nl(at(&lx, 0)))
                    lx.i++;
            }
        } else if (c == '[' && long_level(&lx) >= 0) {
            rc = skip_long(&lx, long_level(&lx));
            if (!rc)
                rc = push(&lx, T53_STRING, start);
        } else if (c == '"' || c == '\'') {
            rc = skip_string(&lx);
            if (!rc)
                rc = push(&lx, T53_STRING, start);
        } else if (is_digit(c) || (c == '.' && is_digit(at(&lx, 1)))) {
            numeral(&lx);
            rc = push(&lx, T53_NUMBER, start);
        } else if (is_alpha(c)) {
            while (is_alpha(at(&lx, 0)) || is_digit(at(&lx, 0)))
                lx.i++;
            int t = T53_NAME;
            for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
                if (strlen(keywords[k]) == lx.i - start &&
                    memcmp(keywords[k], src + start, lx.i - start) == 0)
                    t = T53_AND + (int)k;
            rc = push(&lx, t, start);
        } else {
            int t = c;
            for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
                size_t ol = strlen(ops[k].s);
                if (lx.i + ol <= len && memcmp(src + lx.i, ops[k].s, ol) == 0)
                {
                    t = ops[k].t;
                    lx.i += ol - 1;
                    break;
                }
            }
            lx.i++;
            if (c == 0 || !strchr("+-*/%^#&~|<>=(){}[];:,.", c))
                rc = -1;
            else
                rc = push(&lx, t, start);
        }
    }
    if (rc) {
        free(lx.toks);
        return -1;
    }
    *toks = lx.toks;
    *n = lx.ntoks;
    return 0;
}
