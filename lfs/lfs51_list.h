/*
** lfs51_list.h: human-readable listings of Lua 5.1 Proto trees in the
** shape of luac -l (one line per instruction with its line and operands),
** written into a buffer; luac.cross prints it.
** Twin: none. May call: lfs_model, lfs_buf, libc.
*/
#ifndef LFS51_LIST_H
#define LFS51_LIST_H

#include "lfs/lfs_buf.h"
#include "lfs/lfs_model.h"

/* List f and its children; verbose adds constant, local and upvalue
** tables. */
void lfs51_list_proto(const lfs_proto_t *f, int verbose, lfs_buf_t *out);

/* What a dialect's lister supplies to the shared tree walker: its
** disassembler, its constant printer, its upvalue count for the header,
** and one upvalue-table row after "\t<index>\t" (with the newline). */
typedef struct lfs51_list_dialect {
    void (*code)(const lfs_proto_t *f, lfs_buf_t *out);
    void (*constant)(const lfs_proto_t *f, int k, lfs_buf_t *out);
    int (*nupvalues)(const lfs_proto_t *f);
    void (*upvalue_row)(const lfs_proto_t *f, int i, lfs_buf_t *out);
} lfs51_list_dialect_t;

/* Walk f and its children (200 deep at most) in luac -l's shape: header
** lines, code, and with verbose the constant, local and upvalue tables.
** lfs51_list_proto and lfs53_list_proto are this walker with their
** dialect's hooks. */
void lfs51_list_walk(const lfs_proto_t *f, int verbose,
                     const lfs51_list_dialect_t *dl, lfs_buf_t *out);
/* Append s quoted and escaped as Lua source would write it. */
void lfs51_list_quote(lfs_str_t s, lfs_buf_t *out);

#endif
