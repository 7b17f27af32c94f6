/*
** luac_lex.h: the Lua 5.1 and 5.3 tokenizer of luac.cross, for what it
** must know about the source that host bytecode does not say: the
** spelling of numerals (NodeMCU's 5.1 integer build rejects "1.5" while
** lexing; its 5.3 int32/float target reads "0xFFFFFFFF" and "3000000000"
** differently from Debian's 64-bit Lua) and the tokens that luac_check51,
** luac_fold51 and luac_parse53 follow to find operators, calls, loops and
** function statements. It runs on source that stock Lua has accepted, or
** is about to check. The two dialects differ only where their llex.c
** differ (listed in luac_lex.c).
** Twin: none. May call: libc.
*/
#ifndef LUAC_LEX_H
#define LUAC_LEX_H

#include <stddef.h>

#include "luac-cross/luac.h"

typedef enum luac_lex_tk {
    LUAC_TK_EOS = 256, LUAC_TK_NAME, LUAC_TK_NUMBER, LUAC_TK_STRING,
    /* reserved words, in llex.c order; "goto" is one in 5.3 only */
    LUAC_TK_AND, LUAC_TK_BREAK, LUAC_TK_DO, LUAC_TK_ELSE, LUAC_TK_ELSEIF,
    LUAC_TK_END, LUAC_TK_FALSE, LUAC_TK_FOR, LUAC_TK_FUNCTION, LUAC_TK_GOTO,
    LUAC_TK_IF, LUAC_TK_IN, LUAC_TK_LOCAL, LUAC_TK_NIL, LUAC_TK_NOT,
    LUAC_TK_OR, LUAC_TK_REPEAT, LUAC_TK_RETURN, LUAC_TK_THEN, LUAC_TK_TRUE,
    LUAC_TK_UNTIL, LUAC_TK_WHILE,
    /* operators of more than one character, those of 5.3 only marked;
    ** a single character is its own code */
    LUAC_TK_IDIV /* 5.3 */, LUAC_TK_CONCAT, LUAC_TK_DOTS, LUAC_TK_EQ,
    LUAC_TK_GE, LUAC_TK_LE, LUAC_TK_NE, LUAC_TK_SHL /* 5.3 */,
    LUAC_TK_SHR /* 5.3 */, LUAC_TK_DBCOLON /* 5.3 */
} luac_lex_tk_t;

typedef struct luac_lex_tok {
    int t;              /* a character or a luac_lex_tk_t */
    int line;           /* the line where the token ends, as llex.c counts */
    size_t pos, len;    /* the token's bytes in the source */
} luac_lex_tok_t;

/* Tokenize src as the lua dialect reads it; *toks is malloc'ed (free it)
** and ends with LUAC_TK_EOS. Returns 0, or -1 on memory exhaustion or
** text that dialect would not accept. */
int luac_lex_scan(luac_lua_t lua, const char *src, size_t len,
                  luac_lex_tok_t **toks, int *n);

#endif
