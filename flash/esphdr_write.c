/*
** esphdr_write.c: sets the flash mode / size / frequency bytes of an
** esptool image and writes whole version 1 images (esphdr.h).
** Spec: docs/flash-layout.md §2. Twin: esphdr_read.c.
** May call: lfs_buf, lfs_diag, libc.
*/
#include "flash/esphdr.h"

void esphdr_write_flash(uint8_t *p, int mode, int size_code, int freq)
{
    if (mode != ESPHDR_KEEP)
        p[2] = (uint8_t)mode;
    if (size_code != ESPHDR_KEEP)
        p[3] = (uint8_t)((p[3] & ESPHDR_FREQ_MASK) |
                         (size_code << ESPHDR_SIZE_SHIFT));
    if (freq != ESPHDR_KEEP)
        p[3] = (uint8_t)((p[3] & ESPHDR_SIZE_MASK) |
                         (freq & ESPHDR_FREQ_MASK));
}

int esphdr_write_image(lfs_buf_t *out, uint8_t mode, uint8_t size_freq,
                       uint32_t entry, const esphdr_seg_data_t *segs,
                       unsigned nsegs, lfs_diag_t *d)
{
    if (nsegs == 0 || nsegs > ESPHDR_MAX_SEGMENTS)
        return lfs_fail(d, -1, LFS_EUSAGE, "%u segments: an esptool image"
                        " has 1 to 16", nsegs);
    size_t start = out->len;
    uint8_t sum = ESPHDR_CSUM_SEED;
    lfs_buf_u8(out, ESPHDR_MAGIC);
    lfs_buf_u8(out, (uint8_t)nsegs);
    lfs_buf_u8(out, mode);
    lfs_buf_u8(out, size_freq);
    lfs_buf_le32(out, entry);
    for (unsigned i = 0; i < nsegs; i++) {
        const uint8_t *p = segs[i].data;
        lfs_buf_le32(out, segs[i].addr);
        lfs_buf_le32(out, segs[i].len);
        lfs_buf_put(out, p, segs[i].len);
        for (uint32_t j = 0; j < segs[i].len; j++)
            sum ^= p[j];
    }
    size_t pos = out->len - start;
    lfs_buf_zero(out, 15 - pos % 16);
    lfs_buf_u8(out, sum);
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    return 0;
}
