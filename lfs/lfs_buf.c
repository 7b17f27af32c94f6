/*
** lfs_buf.c: growable output buffer and bounds-checked read cursor
** (see lfs_buf.h). May call: lfs_diag, libc.
*/
#include "lfs/lfs_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lfs_buf_init(lfs_buf_t *b) { memset(b, 0, sizeof *b); }

void lfs_buf_free(lfs_buf_t *b)
{
    free(b->data);
    lfs_buf_init(b);
}

int lfs_buf_reserve(lfs_buf_t *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > SIZE_MAX / 2 - b->len)
        return b->err = LFS_ENOMEM;
    if (b->len + extra > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + extra)
            cap *= 2;
        uint8_t *p = realloc(b->data, cap);
        if (!p)
            return b->err = LFS_ENOMEM;
        b->data = p;
        b->cap = cap;
    }
    return 0;
}

void lfs_buf_put(lfs_buf_t *b, const void *p, size_t n)
{
    if (n == 0 || lfs_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void lfs_buf_printf(lfs_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0 || lfs_buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void lfs_buf_u8(lfs_buf_t *b, uint8_t v) { lfs_buf_put(b, &v, 1); }

void lfs_buf_le32(lfs_buf_t *b, uint32_t v)
{
    uint8_t x[4];
    lfs_put_le32(x, v);
    lfs_buf_put(b, x, 4);
}

void lfs_buf_le64(lfs_buf_t *b, uint64_t v)
{
    lfs_buf_le32(b, (uint32_t)v);
    lfs_buf_le32(b, (uint32_t)(v >> 32));
}

void lfs_buf_zero(lfs_buf_t *b, size_t n)
{
    if (n == 0 || lfs_buf_reserve(b, n))
        return;
    memset(b->data + b->len, 0, n);
    b->len += n;
}

void lfs_buf_align(lfs_buf_t *b, size_t to)
{
    lfs_buf_zero(b, (to - b->len % to) % to);
}

void lfs_cur_init(lfs_cur_t *c, const void *p, size_t n, lfs_diag_t *d)
{
    c->p = p;
    c->n = n;
    c->pos = 0;
    c->err = 0;
    c->d = d;
}

int lfs_cur_bad(lfs_cur_t *c, const char *fmt, ...)
{
    va_list ap;
    char msg[400];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!c->err)
        c->err = lfs_fail(c->d, (long)c->pos, LFS_EFORMAT, "%s", msg);
    return c->err;
}

const uint8_t *lfs_cur_take(lfs_cur_t *c, size_t n, const char *what)
{
    if (c->err)
        return NULL;
    if (n > c->n - c->pos) {
        lfs_cur_bad(c, "truncated: %s needs %zu bytes but %zu remain;"
                    " the file is cut short, rebuild or copy it again",
                    what, n, c->n - c->pos);
        return NULL;
    }
    const uint8_t *p = c->p + c->pos;
    c->pos += n;
    return p;
}

uint8_t lfs_cur_u8(lfs_cur_t *c, const char *what)
{
    const uint8_t *p = lfs_cur_take(c, 1, what);
    return p ? p[0] : 0;
}

uint32_t lfs_cur_le32(lfs_cur_t *c, const char *what)
{
    const uint8_t *p = lfs_cur_take(c, 4, what);
    return p ? lfs_le32(p) : 0;
}

uint64_t lfs_cur_le64(lfs_cur_t *c, const char *what)
{
    const uint8_t *p = lfs_cur_take(c, 8, what);
    return p ? lfs_le32(p) | (uint64_t)lfs_le32(p + 4) << 32 : 0;
}
