/*
** gz.h: the gzip container of relocatable LFS images: a writer that makes
** the smallest file the ESP8266 loader accepts, and a streaming, bounded-
** memory inflater that enforces exactly the loader's rules.
** Spec: docs/lfs51.md §4.1 (what the firmware accepts), §5.2 (reload pass 1),
** Appendix B (NodeMCU's own compressor, which we do not reproduce).
** Twins: gz_write.c (deflate via zlib, self-checked), gz_read.c (our own
** inflater and CRC-32, no zlib). May call: lfs_buf, lfs_diag, libc; the
** writer also zlib. Linked into luac.cross, flashimg, firmware (reader).
*/
#ifndef GZ_H
#define GZ_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"

/* Device limits (docs/lfs51.md §4.1, §5.2). */
#define GZ_MAX_DIST   16384u  /* history: 8 x 2 KiB ring blocks          */
#define GZ_MIN_FILE   201u    /* the loader wants a file longer than 200 */
#define GZ_CHUNK      2048u   /* output is pushed in blocks of this size */
#define GZ_RING       (GZ_MAX_DIST + GZ_CHUNK)  /* 9 blocks, as on device */
#define GZ_INBUF      1024u   /* read buffer when input is a callback    */

/* gzip header (RFC 1952 §2.3): ID1 ID2 CM FLG MTIME[4] XFL OS. */
#define GZ_ID1        0x1fu
#define GZ_ID2        0x8bu
#define GZ_CM_DEFLATE 8u
#define GZ_FTEXT      0x01u
#define GZ_FHCRC      0x02u
#define GZ_FEXTRA     0x04u
#define GZ_FNAME      0x08u
#define GZ_FCOMMENT   0x10u
#define GZ_FRESERVED  0xe0u   /* must be 0; the loader checks */

/* The loader's own message texts; every gz_read diagnostic starts with one
** of these, then ": ", what is wrong, "; " and what to do. */
#define GZ_MSG_READ   "read error on LFS image file"
#define GZ_MSG_DICT   "invalid dictionary offset on inflate"
#define GZ_MSG_CRC    "checksum error on LFS image file"

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), zlib's crc32(): start with
** crc = 0 and feed the previous result back in to continue. */
uint32_t gz_crc32(uint32_t crc, const void *p, size_t n);

/* Input callback: fill buf with up to n bytes; return the count, 0 at end
** of file, or < 0 on an I/O error. */
typedef int (*gz_read_fn)(void *ctx, uint8_t *buf, size_t n);
/* Output callback: take n (1..GZ_CHUNK) inflated bytes; return >= 0 to go
** on or a negative LFS_E* code to stop (that code is then returned). */
typedef int (*gz_write_fn)(void *ctx, const uint8_t *p, size_t n);

/* What one inflate run saw; valid after gz_inflate_run, also on failure. */
typedef struct gz_stats {
    uint32_t blocks;        /* deflate blocks started */
    uint32_t stored;        /* ... of type 00 */
    uint32_t fixed;         /* ... of type 01 */
    uint32_t dynamic;       /* ... of type 10 */
    uint32_t max_dist;      /* largest back-reference distance, 0 if none */
    uint32_t crc;           /* CRC-32 of the output so far */
    size_t out_len;         /* bytes produced */
    size_t header_len;      /* gzip header bytes, up to the deflate data */
} gz_stats_t;

/* A canonical Huffman code, decoded MSB-first one bit at a time: a code
** of `len` bits with value c (read so far) is complete when c < lim[len];
** its symbol is sym[c + off[len]]. sym is sorted by (length, value). */
typedef struct gz_huff {
    int32_t lim[16];        /* first code of length len + count[len] */
    int32_t off[16];        /* index into sym minus first code */
    uint16_t sym[288];
} gz_huff_t;

/* The streaming inflater: about 20 KiB, no other allocation. Input is
** pulled (a buffer or a read callback), output pushed in GZ_CHUNK blocks
** aligned to the total output, as the loader's own ring does. */
typedef struct gz_inflate {
    /* input */
    gz_read_fn read;        /* NULL: all input is in [ip, iend) */
    void *rctx;
    const uint8_t *ip, *iend;   /* unread bytes of the current chunk */
    const uint8_t *ibase;   /* start of the current chunk */
    size_t ibase_off;       /* file offset of ibase[0] */
    size_t file_len;        /* the whole file, as the loader knows it */
    uint32_t bitbuf;        /* unread bits, LSB first */
    unsigned bitcnt;        /* how many (< 32) */
    const char *where;      /* what is being read, for truncation errors */
    /* output */
    gz_write_fn write;
    void *wctx;
    size_t wp;              /* next write index in ring */
    size_t max_out;         /* 0: no limit */
    gz_stats_t st;
    /* errors */
    int err;                /* first failure (LFS_E*), sticky */
    lfs_diag_t *d;
    /* tables for the current block */
    gz_huff_t lit, dist;
    uint8_t ring[GZ_RING];  /* history, 16 KiB + the block being filled */
    uint8_t inbuf[GZ_INBUF];
} gz_inflate_t;

/* Set up for a file of file_len bytes read through `read`. */
void gz_inflate_init(gz_inflate_t *z, size_t file_len, gz_read_fn read,
                     void *rctx, gz_write_fn write, void *wctx);
/* Set up for a file held in memory (not copied; must outlive the run). */
void gz_inflate_init_mem(gz_inflate_t *z, const uint8_t *gz, size_t n,
                         gz_write_fn write, void *wctx);
/* Inflate the whole file with the loader's checks, pushing output through
** the write callback; more than max_out bytes (0: no limit) fails with
** LFS_ELIMIT. Returns 0 or a negative LFS_E* code, with the byte offset
** in the compressed file in the diag. Run once per init. */
int gz_inflate_run(gz_inflate_t *z, size_t max_out, lfs_diag_t *d);

/* Output bytes [off, off + n) if all have been pushed and are still in
** the history, which holds the last GZ_MAX_DIST bytes pushed (also after
** a write callback stopped the run), without wrapping; else NULL. */
const uint8_t *gz_inflate_peek(const gz_inflate_t *z, size_t off, size_t n);

/* Inflate a whole in-memory gzip file, appending the output to `out`
** (on failure out is left as it was). */
int gz_inflate_buf(const uint8_t *gz, size_t n, size_t max_out,
                   lfs_buf_t *out, lfs_diag_t *d);
/* The same, also filling *st (may be NULL). */
int gz_inflate_buf_stats(const uint8_t *gz, size_t n, size_t max_out,
                         lfs_buf_t *out, gz_stats_t *st, lfs_diag_t *d);

/* Compress `payload` into a single-member gzip file the loader accepts
** (distances <= 16384, never to output byte 0, > 200 bytes, exact CRC-32
** and ISIZE), appended to `out`. The result is checked with gz_read's
** inflater before it is kept: LFS_EFORMAT if that ever fails. */
int gz_write(const uint8_t *payload, size_t n, lfs_buf_t *out,
             lfs_diag_t *d);

#endif
