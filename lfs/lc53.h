/*
** lc53.h: Lua 5.3 bytecode files: the stock layout that lua_dump of
** Debian's liblua5.3 writes on this host ("host bytecode", lundump.c
** order: code, constants, upvalues, protos, debug), and the NodeMCU .lc
** stream (format 10) that the firmware's loader reads. Also the pieces
** the NodeMCU .lc and LFS image streams share: the header, the MB-int and
** TT-int encodings, and packed line info.
** Spec: docs/lfs53.md §3 (encodings), §4.1 (header), §4.2 (function record),
** §9 (line info), §10 (.lc). Twin: lc53_read.c reads, lc53_write.c writes.
** May call: lfs_model, lfs_buf, libc.
*/
#ifndef LC53_H
#define LC53_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

#define LC53_VERSION     0x53
#define LC53_FORMAT_LC   0x0A   /* NodeMCU .lc, §10 */
#define LC53_FORMAT_LFS  0x0B   /* NodeMCU LFS image stream, §4 */
#define LC53_MAXSHORTLEN 40     /* LUAI_MAXSHORTLEN: longer is a long string */

/* TT-int type codes, the byte's bits 6..4 (§3.2). */
#define LC53_TT_MASK     0x70
#define LC53_TT_MORE     0x80
#define LC53_TT_NIL      0x00
#define LC53_TT_BOOLEAN  0x10
#define LC53_TT_NUMFLT   0x20
#define LC53_TT_PINT     0x30
#define LC53_TT_NINT     0x40
#define LC53_TT_SSTRING  0x50
#define LC53_TT_LSTRING  0x60

/* The NodeMCU header (§4.1): 17 bytes, then 370.5 as a raw lua_Number. */
typedef struct lc53_header {
    uint8_t signature[4];   /* 0x00 4  "\033Lua"                           */
    uint8_t version;        /* 0x04 1  0x53                                */
    uint8_t format;         /* 0x05 1  0x0A .lc, 0x0B image; stock: 0      */
    uint8_t luac_data[6];   /* 0x06 6  19 93 0D 0A 1A 0A                   */
    uint8_t sizeof_int;     /* 0x0C 1  4                                   */
    uint8_t sizeof_instr;   /* 0x0D 1  4 (stock: size_t, then Instruction) */
    uint8_t sizeof_integer; /* 0x0E 1  4 (int32 build) or 8                */
    uint8_t sizeof_number;  /* 0x0F 1  4 (float build) or 8                */
    uint8_t float_tt;       /* 0x10 1  0x20; then 370.5 in 4 or 8 bytes    */
} lc53_header_t;
_Static_assert(sizeof(lc53_header_t) == 17, "docs/lfs53.md §4.1");

/* What a reader learned from a header, stock or NodeMCU. */
typedef struct lc53_info {
    int format;             /* stock 0, NodeMCU 10 or 11 */
    int sizeof_size_t;      /* stock only (4 or 8); NodeMCU: 0 */
    int sizeof_integer;     /* 4 or 8 */
    int sizeof_number;      /* 4 or 8 */
    size_t header_size;     /* bytes before the first field after it */
} lc53_info_t;

typedef enum lc53_flavour {
    LC53_STOCK,     /* lua_dump of stock Lua 5.3 */
    LC53_NODEMCU    /* NodeMCU .lc, format 10 */
} lc53_flavour_t;

/* Deepest function nesting a reader accepts (stock LUAI_MAXCCALLS). */
#define LC53_MAXDEPTH 200

/* Number configuration of a NodeMCU target (docs/lfs53.md §2). */
typedef struct lc53_target {
    int int64;              /* 1: 64-bit integers and doubles (
                            ** LUA_NUMBER_64BITS); 0: int32 and float */
    int strip;              /* -s: no upvalue or local names (hasnames 0) */
} lc53_target_t;

/* Read a bytecode file into m: stock (any little-endian host dump with
** 4-byte int and Instruction) or NodeMCU format 10. Floats become
** LFS_KNUM (a float build's values widened exactly), integers LFS_KINT.
** NodeMCU packed line info is kept exactly in lineblob and decoded into
** lineinfo. info may be NULL. */
int lc53_read(const uint8_t *p, size_t n, lc53_flavour_t fl, lfs_model_t *m,
              lfs_diag_t *d, lc53_info_t *info, lfs_proto_t **out);

/* Write f as a NodeMCU .lc file (format 10) for target t. Every integer
** must fit the target's lua_Integer and every float must be exact in its
** lua_Number, else LFS_ELIMIT naming the constant (the front end reports
** these earlier, with source lines). */
int lc53_write(const lfs_proto_t *f, const lc53_target_t *t, lfs_buf_t *out,
               lfs_diag_t *d);

/* ---- shared by the .lc and the image stream (lc53_read/lc53_write) ---- */

/* §4.1 header for format (10 or 11) and target numbers. */
void lc53_write_header(lfs_buf_t *b, int format, int int64);
/* Check a NodeMCU header of the given format (0: 10 or 11); on success
** info is filled and c stands after it. Messages name the field. */
int lc53_read_header(lfs_cur_t *c, int format, lc53_info_t *info);

/* §3.1: big-endian base-128 count. */
void lc53_write_mbint(lfs_buf_t *b, uint64_t v);
/* Fails on more than 63 bits or a value above max. */
uint64_t lc53_read_mbint(lfs_cur_t *c, uint64_t max, const char *what);

/* §3.2: type code (PINT for integers: negatives become NINT) and value. */
void lc53_write_ttint(lfs_buf_t *b, int type, int64_t v);
/* Reads one TT-int: *type gets the code, the result the value (negated
** for NINT). Fails on more than 63 bits. */
int64_t lc53_read_ttint(lfs_cur_t *c, int *type, const char *what);

/* Can v be stored exactly in the target's numbers? */
int lc53_int_fits(int64_t v, int int64);
int lc53_num_fits(double v, int int64);

/* §9 packed line info. Pack lines[0..n-1] canonically and append the
** terminating 00 (nothing at all when n == 0). */
void lc53_lines_pack(const int *lines, int n, lfs_buf_t *out);
/* Decode blob[0..len-1], which must end with its only 00 byte, into at
** most max lines; returns the instructions described, or -1 if the blob
** is malformed (no terminator, a delta past the end or beyond int). */
int lc53_lines_unpack(const uint8_t *blob, size_t len, int *lines, int max);

#endif
