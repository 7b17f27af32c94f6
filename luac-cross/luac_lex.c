/*
** luac_lex.c: the Lua 5.1 and 5.3 tokenizer (see luac_lex.h). Both count
** lines as llex.c: "\n", "\r", "\n\r" and "\r\n" each end one line; a
** token's line is the line of its last character. Character classes are
** those of the C locale (5.1's llex.c asks <ctype.h>, which luac.cross
** never switches to another locale; 5.3's has its own ASCII table). What
** the 5.3 lexer reads differently from the 5.1 one:
**  - "goto" is a reserved word;
**  - numerals: 5.1 takes digits and dots, an exponent with its sign, then
**    any letters, digits and '_'; 5.3 takes hex digits and dots, with a
**    "0x" prefix a 'p' exponent, else an 'e' one, each with its sign;
**  - the escape "\z" skips the white space (and newlines) after it;
**  - the operators "//", "<<", ">>" and "::"; a character that is no
**    operator of 5.3 is an error, where 5.1 makes a token of any byte;
**  - a first line starting with '#' (luaL_loadfile's) is skipped in 5.1
**    only: the 5.3 callers blank it, with a UTF-8 BOM, before scanning.
** May call: libc.
*/
#include "luac-cross/luac_lex.h"

#include <stdlib.h>
#include <string.h>

typedef struct lexer {
    luac_lua_t lua;
    const char *s;
    size_t n, i;
    int line;
    luac_lex_tok_t *toks;
    int ntoks, cap;
} lexer_t;

static const char *const keywords[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for",
    "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
    "return", "then", "true", "until", "while"
};

/* Longest first where one is the start of another. */
static const struct { const char *s; int t; int lua53; } ops[] = {
    { "...", LUAC_TK_DOTS, 0 }, { "..", LUAC_TK_CONCAT, 0 },
    { "//", LUAC_TK_IDIV, 1 }, { "==", LUAC_TK_EQ, 0 },
    { ">=", LUAC_TK_GE, 0 }, { "<=", LUAC_TK_LE, 0 },
    { "~=", LUAC_TK_NE, 0 }, { "<<", LUAC_TK_SHL, 1 },
    { ">>", LUAC_TK_SHR, 1 }, { "::", LUAC_TK_DBCOLON, 1 }
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
        } else if (c == 'z' && lx->lua == LUAC_LUA53) {
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

/* llex.c read_numeral of the lexer's dialect. */
static void numeral(lexer_t *lx)
{
    if (lx->lua == LUAC_LUA51) {
        while (is_digit(at(lx, 0)) || at(lx, 0) == '.')
            lx->i++;
        if (at(lx, 0) == 'e' || at(lx, 0) == 'E') {
            lx->i++;
            if (at(lx, 0) == '+' || at(lx, 0) == '-')
                lx->i++;
        }
        while (is_alpha(at(lx, 0)) || is_digit(at(lx, 0)))
            lx->i++;
        return;
    }
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

/* At a character that starts no other token: the operator's code, or -1
** if the dialect has no such token. */
static int operator(lexer_t *lx)
{
    int c = at(lx, 0);
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        size_t ol = strlen(ops[k].s);
        if ((lx->lua == LUAC_LUA53 || !ops[k].lua53) && lx->i + ol <= lx->n &&
            memcmp(lx->s + lx->i, ops[k].s, ol) == 0) {
            lx->i += ol;
            return ops[k].t;
        }
    }
    lx->i++;
    if (lx->lua == LUAC_LUA53 &&
        (c == 0 || !strchr("+-*/%^#&~|<>=(){}[];:,.", c)))
        return -1;
    return c;
}

static int push(lexer_t *lx, int t, size_t start)
{
    if (lx->ntoks == lx->cap) {
        int cap = lx->cap ? lx->cap * 2 : 1024;
        luac_lex_tok_t *v = realloc(lx->toks, sizeof *v * (size_t)cap);
        if (!v)
            return -1;
        lx->toks = v;
        lx->cap = cap;
    }
    luac_lex_tok_t *k = &lx->toks[lx->ntoks++];
    k->t = t;
    k->line = lx->line;
    k->pos = start;
    k->len = lx->i - start;
    return 0;
}

/* The next token: 0, 1 after the end, -1 on error. */
static int next_token(lexer_t *lx)
{
    for (;;) {
        int c = at(lx, 0);
        size_t start = lx->i;
        if (c < 0)
            return push(lx, LUAC_TK_EOS, start) ? -1 : 1;
        if (is_nl(c)) {
            newline(lx);
        } else if (is_space(c)) {
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
            return push(lx, LUAC_TK_STRING, start);
        } else if (c == '"' || c == '\'') {
            if (skip_string(lx))
                return -1;
            return push(lx, LUAC_TK_STRING, start);
        } else if (is_digit(c) || (c == '.' && is_digit(at(lx, 1)))) {
            numeral(lx);
            return push(lx, LUAC_TK_NUMBER, start);
        } else if (is_alpha(c)) {
            while (is_alpha(at(lx, 0)) || is_digit(at(lx, 0)))
                lx->i++;
            int t = LUAC_TK_NAME;
            for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
                if (strlen(keywords[k]) == lx->i - start &&
                    memcmp(keywords[k], lx->s + start, lx->i - start) == 0)
                    t = LUAC_TK_AND + (int)k;
            if (t == LUAC_TK_GOTO && lx->lua == LUAC_LUA51)
                t = LUAC_TK_NAME;
            return push(lx, t, start);
        } else {
            int t = operator(lx);
            return t < 0 ? -1 : push(lx, t, start);
        }
    }
}

int luac_lex_scan(luac_lua_t lua, const char *src, size_t len,
                  luac_lex_tok_t **toks, int *n)
{
    lexer_t lx = { lua, src, len, 0, 1, NULL, 0, 0 };
    if (lua == LUAC_LUA51 && len && src[0] == '#')
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
