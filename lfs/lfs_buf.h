/*
** lfs_buf.h: a growable output byte buffer with a sticky error (as ldump.c
** keeps one), and a bounds-checked little-endian read cursor for untrusted
** bytes. Every format writer and reader in lfs/ goes through these.
** Twin: the buffer writes, the cursor reads. May call: lfs_diag, libc.
*/
#ifndef LFS_BUF_H
#define LFS_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_diag.h"

typedef struct lfs_buf {
    uint8_t *data;
    size_t len, cap;
    int err;            /* LFS_ENOMEM once an allocation failed; sticky */
} lfs_buf_t;

void lfs_buf_init(lfs_buf_t *b);
void lfs_buf_free(lfs_buf_t *b);
int lfs_buf_reserve(lfs_buf_t *b, size_t extra);
void lfs_buf_put(lfs_buf_t *b, const void *p, size_t n);
/* Append printf-formatted text (no terminating NUL). */
void lfs_buf_printf(lfs_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void lfs_buf_u8(lfs_buf_t *b, uint8_t v);
void lfs_buf_le32(lfs_buf_t *b, uint32_t v);
void lfs_buf_le64(lfs_buf_t *b, uint64_t v);
void lfs_buf_zero(lfs_buf_t *b, size_t n);
/* Zero-pad to a multiple of `to` bytes. */
void lfs_buf_align(lfs_buf_t *b, size_t to);

static inline uint32_t lfs_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline void lfs_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* Read cursor: every get checks bounds; the first failure is recorded in
** the diag with its byte offset and later gets return 0. */
typedef struct lfs_cur {
    const uint8_t *p;
    size_t n, pos;
    int err;
    lfs_diag_t *d;
} lfs_cur_t;

void lfs_cur_init(lfs_cur_t *c, const void *p, size_t n, lfs_diag_t *d);
/* Fails with "truncated: <what> needs N bytes at ..." if short. */
const uint8_t *lfs_cur_take(lfs_cur_t *c, size_t n, const char *what);
uint8_t lfs_cur_u8(lfs_cur_t *c, const char *what);
uint32_t lfs_cur_le32(lfs_cur_t *c, const char *what);
uint64_t lfs_cur_le64(lfs_cur_t *c, const char *what);
int lfs_cur_bad(lfs_cur_t *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
