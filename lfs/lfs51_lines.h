/*
** lfs51_lines.h: NodeMCU 5.1 packed line info (docs/lfs51.md §3.9): a NUL-free
** byte string of records (optional delta prefix, then a count 1..126) that
** maps each instruction to a source line. Used by the 5.1 image and the
** target .lc formats alike.
** Twin: pack and unpack live together. May call: lfs_buf, libc.
*/
#ifndef LFS51_LINES_H
#define LFS51_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_buf.h"

/* Largest count byte of one record (§3.9). */
#define LFS51_LINES_MAXRUN 126

/* Append the packed blob for lines[0..n-1] (without a terminating NUL).
** fix (may be NULL): fix[i] != 0 starts a new record at instruction i even
** when its line equals the previous record's, as NodeMCU's compiler does
** for an instruction whose line luaK_fixline changed. */
void lfs51_lines_pack(const int *lines, const uint8_t *fix, int n,
                      lfs_buf_t *out);
/* Decode blob[0..len-1] (stops at 0x00 or 0x7F, as the VM does) into at
** most max lines; returns the number of instructions it describes, or -1
** if a line leaves 1..INT32_MAX or a prefix runs past the end. fix (may
** be NULL, else max bytes) receives the flags pack needs to rebuild the
** same blob; *anyfix (may be NULL) is set when any flag is. */
int lfs51_lines_unpack(const uint8_t *blob, size_t len, int *lines,
                       uint8_t *fix, int max, int *anyfix);

#endif
