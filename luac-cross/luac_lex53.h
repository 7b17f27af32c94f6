/*
** luac_lex53.h: a Lua 5.3 tokenizer for what luac.cross must know about
** the source that host bytecode does not say: the spelling of numerals
** (the int32/float target reads "0xFFFFFFFF" and "3000000000" differently
** from Debian's 64-bit Lua) and the tokens luac_parse53 needs to find
** operators, calls and loops. It runs only on source that liblua5.3 has
** accepted (or is about to check).
** Twin: none. May call: libc.
*/
#ifndef LUAC_LEX53_H
#define LUAC_LEX53_H

#include <stddef.h>
#include <stdint.h>

typedef enum luac_tk53 {
    T53_EOS = 256, T53_NAME, T53_NUMBER, T53_STRING,
    /* keywords, in llex.c order */
    T53_AND, T53_BREAK, T53_DO, T53_ELSE, T53_ELSEIF, T53_END, T53_FALSE,
    T53_FOR, T53_FUNCTION, T53_GOTO, T53_IF, T53_IN, T53_LOCAL, T53_NIL,
    T53_NOT, T53_OR, T53_REPEAT, T53_RETURN, T53_THEN, T53_TRUE, T53_UNTIL,
    T53_WHILE,
    /* multi-character operators; single characters are their own code */
    T53_IDIV, T53_CONCAT, T53_DOTS, T53_EQ, T53_GE, T53_LE, T53_NE,
    T53_SHL, T53_SHR, T53_DBCOLON
} luac_tk53_t;

typedef struct luac_tok53 {
    int t;              /* a character or a luac_tk53_t */
    int line;           /* the line where the token ends, as llex.c counts */
    uint32_t pos, len;  /* the token's bytes in the source */
} luac_tok53_t;

/* Tokenize src; *toks is malloc'ed (free it) and ends with T53_EOS.
** Returns 0, or -1 on memory exhaustion or text Lua would not accept. */
int luac_lex53(const char *src, size_t len, luac_tok53_t **toks, int *n);

#endif
