/*
** lc51.h: Lua 5.1 bytecode files, both the stock layout that lua_dump of
** Debian's liblua5.1 writes on this host ("host bytecode") and the NodeMCU
** target .lc layout that the firmware's loader reads.
**
** Both follow lundump.c's field order: a 12-byte header, then one function
** record (source, lines, 4 byte fields, code, constants, children, debug).
** The NodeMCU flavour differs in two ways, found by byte comparison with
** the vectors: each vector's count is followed by zero padding to a 4-byte
** file offset before the code and line-info vectors (so both can be read
** in place), and line info is the packed byte string of docs/lfs51.md §3.9
** (count = bytes including the NUL) instead of one int per instruction.
** Both walk the fields through lc51_walk.h, the walk the firmware VM's
** loader and string.dump share; the header and flavour types live there.
** Twin: lc51_read.c reads, lc51_write.c writes. May call: lc51_walk,
** lfs_model, lfs_buf, lfs51_lines, libc.
*/
#ifndef LC51_H
#define LC51_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lc51_walk.h"
#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

/* Deepest function nesting a reader accepts (stock LUAI_MAXCCALLS). */
#define LC51_MAXDEPTH 200

/* Read a bytecode file into m. Stock files must be little-endian with
** 4-byte ints and instructions; size_t 4 or 8; numbers double or int32
** (integral). Int-build numbers become LFS_KINT, doubles LFS_KNUM. */
int lc51_read(const uint8_t *p, size_t n, lc51_flavour_t fl, lfs_model_t *m,
              lfs_diag_t *d, lc51_header_t *hdr, lfs_proto_t **out);

/* Target parameters of a written file. */
typedef struct lc51_target {
    lc51_flavour_t flavour;
    int sizeof_size_t;      /* 4 or 8 */
    int integral;           /* 1: int32 numbers; 0: doubles */
    int strip;              /* drop source, line info, names */
} lc51_target_t;

/* NodeMCU's ESP8266 float and int builds. */
extern const lc51_target_t lc51_nodemcu_float, lc51_nodemcu_int;

/* Write f as a bytecode file. In an integral target every number must be
** an integer in int32 range, else LFS_ELIMIT (the front end reports these
** earlier, with source lines). */
int lc51_write(const lfs_proto_t *f, const lc51_target_t *t, lfs_buf_t *out,
               lfs_diag_t *d);

#endif
