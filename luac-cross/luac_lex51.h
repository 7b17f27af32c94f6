/*
** luac_lex51.h: a Lua 5.1 tokenizer for what luac.cross must know about
** the source that stock bytecode does not say: the spelling of number
** literals (NodeMCU's integer build rejects "1.5" and "0.0" while lexing)
** and where calls, loops and function statements open and close (for
** NodeMCU's line-info records, see luac_check51.c). It runs only on source
** that liblua5.1 has already accepted.
** Twin: none. May call: libc.
*/
#ifndef LUAC_LEX51_H
#define LUAC_LEX51_H

#include <stddef.h>

typedef enum luac_tok {
    TK_EOS, TK_NAME, TK_NUMBER, TK_STRING, TK_OP,
    /* keywords */
    TK_AND, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE, TK_FOR,
    TK_FUNCTION, TK_IF, TK_IN, TK_LOCAL, TK_NIL, TK_NOT, TK_OR, TK_REPEAT,
    TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL, TK_WHILE
} luac_tok_t;

typedef struct luac_token {
    luac_tok_t t;
    char op[4];         /* TK_OP: "(", "..", "==", ... */
    int line;           /* the line where the token ends, as Lua's lexer */
    size_t pos, len;    /* the token's bytes in the source */
} luac_token_t;

/* Tokenize src; *toks is malloc'ed (free it), ending with TK_EOS.
** Returns 0, or -1 on memory exhaustion or text Lua would not accept. */
int luac_lex51(const char *src, size_t len, luac_token_t **toks, int *n);

#endif
