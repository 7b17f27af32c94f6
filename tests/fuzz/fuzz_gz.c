/*
** tests/fuzz/fuzz_gz.c: libFuzzer target for the LFS gzip inflater
** (lfs/gz_read.c), seeded with the NodeMCU 5.1 images. Each input is
** inflated from memory (1 MiB output cap) and again through the streaming
** read callback in small pieces; both must agree, failures must fill the
** diag and leave the output buffer untouched, and whatever we accept
** zlib must inflate to the same bytes (unless FHCRC is set: the device,
** and we, skip the header CRC that zlib checks).
** Spec: docs/lfs51.md §4.1, §5.2. Twin: none. May call: lfs/gz, zlib, libc.
*/
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
/* Seed files for tools/run-fuzz.sh, relative to the vectors folder:
# seeds: lfs51/*.img
*/
#pragma GCC diagnostic pop

#include "lfs/gz.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_OUT (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
    const uint8_t *p;
    size_t n, at, step;
};

static int src_read(void *ctx, uint8_t *buf, size_t n)
{
    struct src *s = ctx;
    size_t k = s->n - s->at;
    if (k > n)
        k = n;
    if (k > s->step)
        k = s->step;
    memcpy(buf, s->p + s->at, k);
    s->at += k;
    return (int)k;
}

/* zlib's view of a gzip file that we accepted. */
static void zlib_agrees(const uint8_t *data, size_t size, const uint8_t *p,
                        size_t n)
{
    static uint8_t buf[MAX_OUT];
    z_stream s;
    int r;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 16 + 15) != Z_OK)
        abort();
    s.next_in = (Bytef *)(uintptr_t)data;
    s.avail_in = (uInt)size;
    s.next_out = buf;
    s.avail_out = sizeof buf;
    r = inflate(&s, Z_FINISH);
    if (r != Z_STREAM_END || s.avail_in != 0 || s.total_out != n ||
        memcmp(buf, p, n) != 0)
        abort();
    inflateEnd(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gz_inflate_t z;
    lfs_buf_t out;
    lfs_diag_t d, d2;
    gz_stats_t st;
    struct src s = { data, size, 0, 1 + size % 13 };
    int r, r2;

    lfs_buf_init(&out);
    lfs_diag_init(&d, NULL);
    r = gz_inflate_buf_stats(data, size, MAX_OUT, &out, &st, &d);
    if (r == 0) {
        if (d.code != 0 || out.len != st.out_len || out.len > MAX_OUT ||
            st.max_dist > GZ_MAX_DIST || size < GZ_MIN_FILE)
            abort();
        if (!(data[3] & GZ_FHCRC))
            zlib_agrees(data, size, out.data, out.len);
    } else if (d.code != r || d.msg[0] == '\0' || out.len != 0) {
        abort();
    }

    /* the same file through the read callback, in small pieces */
    lfs_diag_init(&d2, NULL);
    gz_inflate_init(&z, size, src_read, &s, NULL, NULL);
    r2 = gz_inflate_run(&z, MAX_OUT, &d2);
    if (r2 != r || d2.offset != d.offset || strcmp(d2.msg, d.msg) != 0)
        abort();
    if (r == 0 && (z.st.crc != st.crc || z.st.out_len != st.out_len))
        abort();
    lfs_buf_free(&out);
    return 0;
}
