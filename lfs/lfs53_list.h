/*
** lfs53_list.h: human-readable listings of Lua 5.3 Proto trees in the
** shape of luac5.3 -l (one line per instruction with its line, operands
** and a comment naming constants, upvalues and jump targets), written
** into a buffer; luac.cross prints it.
** Twin: none (lfs51_list.h for 5.1). May call: lfs_model, lfs_buf,
** lfs51_list (quoting), libc.
*/
#ifndef LFS53_LIST_H
#define LFS53_LIST_H

#include "lfs/lfs_buf.h"
#include "lfs/lfs_model.h"

/* List f and its children; verbose adds constant, local and upvalue
** tables. */
void lfs53_list_proto(const lfs_proto_t *f, int verbose, lfs_buf_t *out);

#endif
