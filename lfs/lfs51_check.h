/*
** lfs51_check.h: the check the firmware runs on a Lua 5.1 LFS image as it
** will lie in flash (docs/lfs51.md §3.13): everything the VM follows or
** executes, so that an image that passes cannot make the VM read or write
** outside its objects. It reads the relocated image one 32-bit word at a
** time through the caller's load function, so the same check runs on
** mapped flash at boot (firmware/ldr/ldr51.c ldr51_boot), on the stream
** node.LFS.reload inflates in its first pass (before flash is touched),
** and on host buffers (luac.cross --verify). It allocates nothing, uses a
** fixed state of about 1.7 KB, and every word it reads lies inside the
** image.
** Spec: docs/lfs51.md §3.13 (the device check), §5.1, §5.2.
** Twin: lfs51_read.c, the host reader, which rebuilds the model and also
** checks what only byte identity needs (tiling, the bitmap, line counts).
** May call: lc51_code, lfs51.h (constants, hash), lfs_diag, libc.
*/
#ifndef LFS51_CHECK_H
#define LFS51_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_diag.h"

/* Read the word at mapped address addr (word-aligned, inside the image)
** into *w; 0, or < 0 if it cannot be read. */
typedef int (*lfs51_load_fn)(void *ctx, uint32_t addr, uint32_t *w);

#define LFS51_CHECK_DEPTH 200   /* function nesting, as lfs51_read */

/* One level of the walk over the Protos: the offset of its Proto's child
** vector, how many children, how many are left to visit. */
typedef struct lfs51_check_level {
    uint32_t p;
    uint16_t sizep, next;
} lfs51_check_level_t;

typedef struct lfs51_check {
    lfs51_load_fn load;
    void *ctx;
    uint32_t base;          /* mapped address of image word 0 */
    uint32_t size;          /* flash_size, once read */
    int integral;           /* the firmware's number type */
    uint32_t nsize, nuse;   /* ROstrt buckets and strings */
    uint32_t cached, cword; /* the last word byte reads used */
    uint32_t *strmap;       /* the caller's map of chained strings, or
                               NULL                                        */
    /* the first fault: LFS_EFORMAT, or LFS_EIO when load failed */
    int err;
    uint32_t at;            /* its byte offset in the image */
    const char *what;       /* what is wrong, one short phrase */
    lfs51_check_level_t path[LFS51_CHECK_DEPTH + 1];   /* the walk */
} lfs51_check_t;

/* Bytes of the optional map of chained strings, one bit per image word,
** for an image of size bytes. */
#define LFS51_CHECK_MAPBYTES(size) (4 * (((size) / 4 + 31) / 32))

/* Check the image mapped at base whose words load reads, for the
** firmware's number type (integral: the signature 0xFAFAA152, else
** 0xFAFAA154): header, ROstrt, every Proto reachable from mainProto with
** its vectors, constants, strings and code (lc51_code_check). limit is
** the most bytes load can read from base: flash_size (the header's word
** 1) above it is a fault. strmap, if not NULL, is LFS51_CHECK_MAPBYTES(
** limit) bytes of scratch that saves reads (the result is the same).
** 0, or c->err with c->at and c->what set. */
int lfs51_check(lfs51_check_t *c, lfs51_load_fn load, void *ctx,
                uint32_t base, uint32_t limit, int integral,
                uint32_t *strmap);

/* Host: the same check on a payload in memory, as the loader would put it
** in flash: a relocatable payload (image and bitmap) relocated to the
** mapped flash base, or an absolute image at the base its header names.
** 0, or LFS_EFORMAT with the byte offset and the fault in d. */
int lfs51_check_payload(const uint8_t *p, size_t n, int integral,
                        lfs_diag_t *d);

#endif
