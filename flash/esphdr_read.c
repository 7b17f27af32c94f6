/*
** esphdr_read.c: parses and names the esptool image header and segments
** (esphdr.h). Every length is bounded before it is used.
** Spec: docs/flash-layout.md §2. Twin: esphdr_write.c.
** May call: lfs_buf, lfs_diag, libc.
*/
#include "flash/esphdr.h"

#include <string.h>

int esphdr_read(const uint8_t *p, size_t n, esphdr_t *h, lfs_diag_t *d)
{
    memset(h, 0, sizeof *h);
    if (n < ESPHDR_HEADER_SIZE)
        return lfs_fail(d, 0, LFS_EFORMAT, "%zu bytes are too short for an"
                        " esptool image header (8 bytes)", n);
    h->magic = p[0];
    h->segments = p[1];
    h->flash_mode = p[2];
    h->flash_size_freq = p[3];
    h->entry = lfs_le32(p + 4);
    if (h->magic != ESPHDR_MAGIC)
        return lfs_fail(d, 0, LFS_EFORMAT, "byte 0 is 0x%02x, not the esptool"
                        " image magic 0xe9; this is not an ESP8266 firmware"
                        " or flash image", h->magic);
    if (h->segments == 0 || h->segments > ESPHDR_MAX_SEGMENTS)
        return lfs_fail(d, 1, LFS_EFORMAT, "%u segments: an esptool image"
                        " has 1 to 16", h->segments);
    size_t pos = ESPHDR_HEADER_SIZE;
    uint8_t sum = ESPHDR_CSUM_SEED;
    for (unsigned i = 0; i < h->segments; i++) {
        if (n - pos < ESPHDR_SEG_HEADER)
            return lfs_fail(d, (long)pos, LFS_EFORMAT, "segment %u header"
                            " runs past the end of the data (%zu bytes)", i,
                            n);
        esphdr_segment_t *s = &h->seg[i];
        s->addr = lfs_le32(p + pos);
        s->len = lfs_le32(p + pos + 4);
        pos += ESPHDR_SEG_HEADER;
        s->off = (uint32_t)pos;
        if (s->len > n - pos)
            return lfs_fail(d, (long)pos - 4, LFS_EFORMAT, "segment %u"
                            " (load address 0x%08x) has %u bytes, but only"
                            " %zu follow", i, s->addr, s->len, n - pos);
        for (uint32_t j = 0; j < s->len; j++)
            sum ^= p[pos + j];
        pos += s->len;
    }
    pos += 15 - pos % 16;               /* esptool align_file_position */
    if (pos >= n)
        return lfs_fail(d, (long)pos, LFS_EFORMAT, "the checksum byte at"
                        " 0x%zx is past the end of the data (%zu bytes)",
                        pos, n);
    h->checksum = p[pos];
    h->computed = sum;
    h->image_len = (uint32_t)pos + 1;
    return 0;
}

uint32_t esphdr_size_bytes(unsigned code)
{
    static const uint32_t kib[16] = {
        512, 256, 1024, 2048, 4096, 2048, 4096, 4096, 8192, 16384
    };
    return code < 16 ? kib[code] * 1024u : 0;
}

const char *esphdr_size_name(unsigned code)
{
    static const char *const names[10] = {
        "512KB", "256KB", "1MB", "2MB", "4MB", "2MB-c1", "4MB-c1",
        "4MB-2048+2048", "8MB", "16MB"
    };
    return code < 10 ? names[code] : "?";
}

int esphdr_code_for_size(uint32_t bytes)
{
    switch (bytes) {
    case 0x40000:   return 1;
    case 0x80000:   return 0;
    case 0x100000:  return 2;
    case 0x200000:  return 3;
    case 0x400000:  return 4;
    case 0x800000:  return 8;
    case 0x1000000: return 9;
    default:        return -1;
    }
}

const char *esphdr_mode_name(unsigned mode)
{
    static const char *const names[4] = { "qio", "qout", "dio", "dout" };
    return mode < 4 ? names[mode] : "?";
}

const char *esphdr_freq_name(unsigned freq)
{
    switch (freq) {
    case ESPHDR_40M: return "40m";
    case ESPHDR_26M: return "26m";
    case ESPHDR_20M: return "20m";
    case ESPHDR_80M: return "80m";
    default:         return "?";
    }
}

int esphdr_parse_mode(const char *s)
{
    if (strcmp(s, "keep") == 0)
        return ESPHDR_KEEP;
    for (int i = 0; i < 4; i++)
        if (strcmp(s, esphdr_mode_name((unsigned)i)) == 0)
            return i;
    return -2;
}

int esphdr_parse_freq(const char *s)
{
    static const struct { const char *name; int code; } f[] = {
        { "40m", ESPHDR_40M }, { "40", ESPHDR_40M },
        { "26m", ESPHDR_26M }, { "26", ESPHDR_26M },
        { "20m", ESPHDR_20M }, { "20", ESPHDR_20M },
        { "80m", ESPHDR_80M }, { "80", ESPHDR_80M },
    };
    if (strcmp(s, "keep") == 0)
        return ESPHDR_KEEP;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcmp(s, f[i].name) == 0)
            return f[i].code;
    return -2;
}
