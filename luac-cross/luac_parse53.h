/*
** luac_parse53.h: a syntax-only parser of Lua 5.3 source, following the
** grammar of lparser.c, for two things host bytecode does not say:
**  - per function, where NodeMCU's compiler calls luaK_fixline: each
**    operator, call and for loop with the line it is fixed to (L) and the
**    line of the last token read when its instruction is emitted (E), in
**    emission order (luac_check53 reproduces NodeMCU's line info);
**  - for the int32/float target, every constant expression evaluated as
**    Debian's 64-bit Lua and as the target would fold it, and the source
**    ranges to rewrite so that the host compiler produces the target's
**    constants (luac_fold53).
** Also the number semantics of both (lobject.c luaO_arith, lcode.c
** constfolding, lobject.c luaO_str2num), implemented in luac_fold53.c.
** Twin: none. May call: luac_lex, libc.
*/
#ifndef LUAC_PARSE53_H
#define LUAC_PARSE53_H

#include <stddef.h>
#include <stdint.h>

enum {
    LUAC_EV_ARITH,      /* binary and unary operators (not comparisons) */
    LUAC_EV_CALL,       /* calls, fixed to the line of the callee's start */
    LUAC_EV_FORNUM,     /* FORLOOP, fixed to the 'for' line */
    LUAC_EV_FORGEN,     /* TFORCALL and TFORLOOP: two events per loop */
    LUAC_EV_FUNCSTAT,   /* function statements (not needed by check53) */
    LUAC_EV_KINDS
};

typedef struct luac_ev53 {
    int L, E;
    int emits;          /* 0: folded or merged, no instruction */
} luac_ev53_t;

typedef struct luac_fn53 luac_fn53_t;
struct luac_fn53 {
    luac_ev53_t *ev[LUAC_EV_KINDS];
    int nev[LUAC_EV_KINDS], cap[LUAC_EV_KINDS];
    luac_fn53_t **kids;         /* nested functions, in source order */
    int nkids, capkids;
};

/* A number as Lua holds it: an integer or a float. */
typedef struct luac_num53 {
    int isint;
    int64_t i;          /* sign-extended from 32 bits on the target */
    double f;           /* exact float value on the target */
} luac_num53_t;

/* Operators in lua.h LUA_OP* order. */
enum { LUAC_OPADD, LUAC_OPSUB, LUAC_OPMUL, LUAC_OPMOD, LUAC_OPPOW,
       LUAC_OPDIV, LUAC_OPIDIV, LUAC_OPBAND, LUAC_OPBOR, LUAC_OPBXOR,
       LUAC_OPSHL, LUAC_OPSHR, LUAC_OPUNM, LUAC_OPBNOT };

/* Read a numeral as the lexer does (luaO_str2num): w32 selects the
** target's int32 and float, else int64 and double. Returns 0, -1 if it
** is malformed, 1 if the target's float cannot be decided (strtof and
** strtod disagree after rounding). */
int luac_num53_read(const char *s, size_t len, int w32, luac_num53_t *out);
/* Fold op as lcode.c constfolding does; 1 with *res, 0 when not folded
** (invalid operands, division by zero, NaN or zero float result). */
int luac_num53_fold(int op, luac_num53_t a, luac_num53_t b, int w32,
                    luac_num53_t *res);
/* Same subtype and bit-identical value. */
int luac_num53_same(luac_num53_t a, luac_num53_t b);
/* Source text that the host reads as exactly v (parenthesized). */
void luac_num53_text(luac_num53_t v, char *buf, size_t n);
/* v for messages: "2147483648", "0.1", "1e+39 (inf on the target)". */
void luac_num53_show(luac_num53_t v, char *buf, size_t n);

/* One rewrite: replace src[pos .. pos+len) by text. */
typedef struct luac_rw53 {
    uint32_t pos, len;
    char text[64];
} luac_rw53_t;

typedef struct luac_parse53 {
    luac_fn53_t *main;          /* events; NULL if not wanted */
    luac_rw53_t *rw;            /* fold mode: sorted by pos */
    int nrw, caprw;
    int err_line;               /* fold mode: first refusal, or 0 */
    char err[320];
} luac_parse53_t;

/* Scan src. fold: also evaluate constant expressions for the int32/float
** target and collect rewrites or a refusal (err_line). Returns 0, or -1
** if the text cannot be scanned (not Lua, or out of memory). */
int luac_parse53(const char *src, size_t len, int fold, luac_parse53_t *out);
void luac_parse53_free(luac_parse53_t *out);

#endif
