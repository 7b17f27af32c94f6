/*
** lfs51.h: NodeMCU Lua 5.1 LFS images (docs/lfs51.md §3, §4): the header, the
** index function that is the module directory, the writer of relocatable
** payloads (image + relocation bitmap) and absolute images, and the reader
** that validates an image completely and rebuilds the model from it.
** Twin: lfs51_write.c writes, lfs51_read.c reads; lfs51_strtab.c orders
** strings as NodeMCU's host table does. May call: lfs_model, lfs_buf,
** lfs51_lines, libc.
*/
#ifndef LFS51_H
#define LFS51_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

typedef uint32_t lfs_ref_t;  /* word offset (relocatable) or target address */

/* Lua 5.1 image header: 8 words at payload offset 0 (docs/lfs51.md §3.1). */
typedef struct lfs51_header {
    uint32_t  flash_sig;   /* 0x00 4  magic|version|B2|B1|absolute, §3.2   */
    uint32_t  flash_size;  /* 0x04 4  bytes, multiple of 4, bitmap excluded */
    lfs_ref_t mainProto;   /* 0x08 4  index Proto; relocated, §3.3          */
    lfs_ref_t pROhash;     /* 0x0C 4  ROstrt bucket vector; relocated       */
    uint32_t  nROuse;      /* 0x10 4  strings in the ROstrt                 */
    uint32_t  nROsize;     /* 0x14 4  buckets, a power of two               */
    uint32_t  fill[2];     /* 0x18 8  zero                                  */
} lfs51_header_t;
_Static_assert(sizeof(lfs51_header_t) == 0x20, "docs/lfs51.md §3.1");

/* Signature word (§3.2). */
#define LFS51_SIG_MAGIC     0xFAFAA050u
#define LFS51_SIG_VERSION   0x00000100u
#define LFS51_SIG_VMASK     0x00000F00u
#define LFS51_SIG_PACKED    0x00000004u   /* B2: 12-byte TValues (float) */
#define LFS51_SIG_INTEGRAL  0x00000002u   /* B1: LUA_NUMBER_INTEGRAL */
#define LFS51_SIG_ABSOLUTE  0x00000001u
#define LFS51_SIG_INPROG    0x00000008u   /* only in flash, during reload */
#define LFS51_SIG_FLOAT     (LFS51_SIG_MAGIC | LFS51_SIG_VERSION | \
                             LFS51_SIG_PACKED)            /* 0xFAFAA154 */
#define LFS51_SIG_INT       (LFS51_SIG_MAGIC | LFS51_SIG_VERSION | \
                             LFS51_SIG_INTEGRAL)          /* 0xFAFAA152 */

#define LFS51_MAXMODULES    50          /* one SETLIST, §3.11 */
#define LFS51_MAXIMAGE      0x40000     /* luac.cross's buffer, §6 */
#define LFS51_PROTO_WORDS   18          /* §2.6 */
#define LFS51_TSTRING_WORDS 4           /* §2.5 */
#define LFS51_LFSBIT        0x40        /* TString.marked, §2.3 */
#define LFS51_TSTRING       4           /* type tags, §2.2 */
#define LFS51_TNIL          0
#define LFS51_TBOOLEAN      1
#define LFS51_TNUMBER       3
/* Mapped flash window of the ESP8266 and luac.cross's -a range (§4.2). */
#define LFS51_FLASH_MAPPED  0x40200000u
#define LFS51_ABS_MIN       0x40210000u
#define LFS51_ABS_MAX       0x40310000u

/* The Lua 5.1 string hash (§3.6): the writer's ROstrt buckets and the
** firmware VM's interning use this one definition (inline: the VM hashes
** every string it makes); lfs51_check.c steps it over flash bytes. */
static inline uint32_t lfs51_hash_step(uint32_t h, uint8_t c)
{
    return h ^ ((h << 5) + (h >> 2) + c);
}

static inline uint32_t lfs51_hash(const char *s, size_t len)
{
    uint32_t h = (uint32_t)len;
    size_t step = (len >> 5) + 1;
    for (size_t i = len; i >= step; i -= step)
        h = lfs51_hash_step(h, (uint8_t)s[i - 1]);
    return h;
}

/* Module name from a source name (§3.11): "@dir/x.y.lua" -> "x". */
void lfs51_module_name(lfs_str_t source, char *out, size_t n);

/* Build the index function (§3.11) over n module main Protos, named as
** given; timestamp becomes its last constant (int32 in integer builds). */
lfs_proto_t *lfs51_build_index(lfs_model_t *m, lfs_proto_t **mods,
                               const lfs_str_t *names, int n,
                               int64_t timestamp, int integral);

typedef struct lfs51_opts {
    int integral;        /* integer build: 8-byte TValues, int32 numbers */
    uint32_t absolute;   /* 0: relocatable payload; else the mapped base */
} lfs51_opts_t;

/* Write the image of an index function. Relocatable: image followed by the
** relocation bitmap (the gzip content). Absolute: the image alone. */
int lfs51_write(const lfs_proto_t *index, const lfs51_opts_t *o,
                lfs_buf_t *out, lfs_diag_t *d);

/* Collect the strings of a tree in the order NodeMCU's luac.cross
** allocates them (§3.10 scan, Appendix A table order). *strs is an array
** from the model's arena. */
int lfs51_strtab(lfs_model_t *m, const lfs_proto_t *index, lfs_str_t **strs,
                 int *n);

/* node.LFS.reload's pass-1 header check (docs/lfs51.md §5.2), shared by the
** firmware loader and luac.cross --verify: h holds the first 32 inflated
** bytes (zero-filled if the stream was shorter), isize the inflated length
** from the file's last 4 bytes, fw_sig the firmware's own signature
** (LFS51_SIG_FLOAT or LFS51_SIG_INT), lfs_size its partition size.
** Returns the firmware's message for the first check that fails, in the
** firmware's order, or NULL. Ours beyond the firmware: an image shorter
** than its header is a length mismatch (the firmware's unsigned
** arithmetic lets some through). */
#define LFS51_MSG_VERSION   "Incorrect LFS header version"
#define LFS51_MSG_BUILD     "Incorrect LFS build type"
#define LFS51_MSG_BADSIG    "incorrect LFS header signature"
#define LFS51_MSG_TOOBIG    "LFS Image too big for configured LFS region"
#define LFS51_MSG_LENGTH    "LFS length mismatch"
const char *lfs51_reload_check(const uint8_t h[32], uint32_t isize,
                               uint32_t fw_sig, uint32_t lfs_size);

/* What the reader learned besides the Proto tree. */
typedef struct lfs51_info {
    lfs51_header_t h;
    int integral, absolute;
    uint32_t base;          /* absolute images: the mapped base address */
    size_t image_size;      /* flash_size */
    size_t nreloc;          /* relocated words */
    int nmodules;
    int64_t timestamp;
    int nprotos;
} lfs51_info_t;

/* Read and validate an image: a relocatable payload (image + bitmap, as
** inflated) or an absolute image. Checks every structural rule of §3
** (chains, hashes, marks, tiling, bitmap == pointer words); on success
** *index is the index function in m. */
int lfs51_read(const uint8_t *p, size_t n, lfs_model_t *m, lfs_diag_t *d,
               lfs51_info_t *info, lfs_proto_t **index);

#endif
