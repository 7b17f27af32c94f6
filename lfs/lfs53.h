/*
** lfs53.h: NodeMCU Lua 5.3 LFS images: the image stream (format 11) that
** luac.cross -f writes and node.LFS.reload parses, and the flash region
** (absolute image) the firmware's loader builds from it. The model of an
** image is an index function: its children are the modules' main
** functions, its constants the module names followed by the timestamp
** (as luac.cross builds it in memory).
** Spec: docs/lfs53.md §4 (stream), §5 (loader), §6 (region), §14 (traps).
** Twin: lfs53_write.c writes stream and region, lfs53_read.c reads the
** stream. May call: lc53, lfs_model, lfs_buf, libc.
*/
#ifndef LFS53_H
#define LFS53_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lc53.h"
#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

#define LFS53_NFIXED      71    /* fixed strings the dumper numbers, §4.3 */
#define LFS53_NFIXED_LDR  72    /* ...that the loader creates (+userdata) */
#define LFS53_MAXMODULES  255   /* ROTable lsizenode is one byte, §7.3 */
#define LFS53_MAXNAME     LC53_MAXSHORTLEN  /* longer names never match */
#define LFS53_MINMAXLEN   17    /* "not enough memory" */
#define LFS53_INDEX_SOURCE "=(luac.cross)"

/* Flash region header: 12 words at offset 0, written last (§5.7). */
typedef struct lfs53_header {
    uint32_t flash_sig;    /* 0x00 4  0xFAFAA250                            */
    uint32_t flash_size;   /* 0x04 4  bytes from base to the ROTable's end  */
    uint32_t seed;         /* 0x08 4  string hash seed from the stream      */
    uint32_t timestamp;    /* 0x0C 4  build time from the stream            */
    uint32_t nROuse;       /* 0x10 4  nShort of the stream                  */
    uint32_t nROsize;      /* 0x14 4  buckets, 2^ceil(log2(nShort))         */
    uint32_t oROhash;      /* 0x18 4  bucket vector, in words from base     */
    uint32_t protoROTable; /* 0x1C 4  index ROTable header, in words        */
    uint32_t protoHead;    /* 0x20 4  last Proto written, in words          */
    uint32_t shortTShead;  /* 0x24 4  last short TString written, in words  */
    uint32_t longTShead;   /* 0x28 4  last long TString, in words, or 0     */
    uint32_t reserved;     /* 0x2C 4  0                                     */
} lfs53_header_t;
_Static_assert(sizeof(lfs53_header_t) == 48, "docs/lfs53.md §5.7");

#define LFS53_FLASH_SIG     0xFAFAA250u
#define LFS53_FLASH_MAPPED  0x40200000u    /* mapped flash window, §2 */
#define LFS53_FLASH_WINDOW  0x100000u      /* first 1 MiB only */
/* The largest region: the window from the lowest partition start, flash
** 0x10000 (mapped 0x40210000; §2, §11). */
#define LFS53_MAXIMAGE      (LFS53_FLASH_WINDOW - 0x10000u)
#define LFS53_PROTO_SIZE    76             /* §6.5 */
#define LFS53_TSTRING_SIZE  16             /* §6.2 */
#define LFS53_ROTABLE_SIZE  16             /* §6.6 */

/* The fixed strings: k = 1..71 in the dumper's numbering (§4.3). */
extern const char *const lfs53_fixed[LFS53_NFIXED];

/* The 5.3 string hash with seed (§6.4). */
uint32_t lfs53_hash(const char *s, size_t len, uint32_t seed);

/* Module name from a source name (§4.4): "@dir/x.y.lua" -> "x". */
void lfs53_module_name(lfs_str_t source, char *out, size_t n);

/* Build the index function over n module main functions: source
** "=(luac.cross)", constants the names then the timestamp, children the
** modules (whose upvalue 0, _ENV, gets instack 0), code a bare RETURN. */
lfs_proto_t *lfs53_build_index(lfs_model_t *m, lfs_proto_t **mods,
                               const lfs_str_t *names, int n,
                               int64_t timestamp);
/* Build the main function of a .lc file of several source files (what
** luac.cross writes for them without -f or -i, §10): as the index, but
** with no constants and one upvalue, _ENV, in the stack; calling it only
** returns. */
lfs_proto_t *lfs53_build_main(lfs_model_t *m, lfs_proto_t **mods, int n);

typedef struct lfs53_opts {
    int int64;          /* LUA_NUMBER_64BITS: 8-byte integers, doubles */
    int strip;          /* -s: hasnames 0 */
    uint32_t seed;
    /* 1: reference the fixed strings userdata/thread/proto as the stock
    ** loader numbers them (deviation from luac.cross, §4.3 and §14.1: the
    ** only way those constants work on real firmware); 0: as luac.cross
    ** does. */
    int loader_fixed;
} lfs53_opts_t;

/* Write the image stream of an index function (§4.2). */
int lfs53_write(const lfs_proto_t *index, const lfs53_opts_t *o,
                lfs_buf_t *out, lfs_diag_t *d);

/* Write the flash region the loader would build from that stream, for a
** partition mapped at base (§5), with zeros where the loader leaves
** garbage (§14.8). Its size is flash_size. */
int lfs53_write_region(const lfs_proto_t *index, const lfs53_opts_t *o,
                       uint32_t base, lfs_buf_t *out, lfs_diag_t *d);

/* What the reader learned besides the index function. */
typedef struct lfs53_info {
    int int64;
    uint32_t seed;
    int64_t timestamp;
    uint32_t maxlen, nshort, nlong, nstrings;
    int nmodules;
    int nprotos;            /* every function, index excluded */
    int hasnames;           /* 0 when written with -s */
    /* References to nStrings+66, the loader's first "userdata", which
    ** the ROstrt shadows (§4.3): only NodeMCU's luac.cross writes them,
    ** and its references to "thread" and "proto" (+70, +71) then read as
    ** "userdata" and "thread" (as this reader resolves them). */
    int shadowed_refs;
} lfs53_info_t;

/* Read an image stream completely: every count, reference and type
** nibble checked (the loader checks none of them, §5.8). The index
** function's children are the modules, its constants their names and the
** timestamp. String references resolve as the stock loader resolves them
** (72 fixed strings). */
int lfs53_read(const uint8_t *p, size_t n, lfs_model_t *m, lfs_diag_t *d,
               lfs53_info_t *info, lfs_proto_t **index);
/* The same, resolving the fixed strings as NodeMCU's luac.cross meant
** them (its 71, §4.3) rather than as its loader does: what the image's
** author wrote, e.g. to rebuild a NodeMCU image as this toolchain would
** have built it. */
int lfs53_read_intended(const uint8_t *p, size_t n, lfs_model_t *m,
                        lfs_diag_t *d, lfs53_info_t *info,
                        lfs_proto_t **index);

/* Read and validate a flash region (absolute image) as the firmware maps
** it (§6): header, every TString (hash with the seed, class, padding),
** the ROstrt chains, the short, long and Proto lists, every Proto and its
** vectors, the index ROTable. The base address comes from the region (the
** first string's list link), the number configuration from the index
** entry size. Rebuilds the index function as lfs53_read does. */
int lfs53_read_region(const uint8_t *p, size_t n, lfs_model_t *m,
                      lfs_diag_t *d, lfs53_info_t *info, uint32_t *base,
                      lfs_proto_t **index);

/* The checks --verify adds for real firmware: module count, name lengths,
** "__" names first (§7.3), and the flash region against the partition. */
int lfs53_check(const lfs_proto_t *index, const lfs53_info_t *info,
                uint32_t lfs_size, lfs_diag_t *d);

/* Bytes the loader writes into flash for this index (flash_size), for an
** image written with these numbers and strip (-s) settings. */
size_t lfs53_region_size(const lfs_proto_t *index, int int64, int strip);

#endif
