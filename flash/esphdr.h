/*
** esphdr.h: the esptool image header of an ESP8266 "version 1" image (the
** ROM-loadable 0x00000.bin NodeMCU's elf2image writes): magic, segments,
** the flash mode / size / frequency bytes the SDK boots with, the entry
** point, and the checksum byte after the zero padding.
** Spec: docs/flash-layout.md §2. Twin: esphdr_read.c reads and names fields,
** esphdr_write.c sets the flash bytes and writes whole images (the
** stand-in firmware). May call: lfs_buf, lfs_diag, libc.
**
** Layout (all little-endian):
**
**   0x00 u8   magic 0xE9
**   0x01 u8   number of segments (at most 16)
**   0x02 u8   flash mode: 0 QIO, 1 QOUT, 2 DIO, 3 DOUT
**   0x03 u8   high nibble flash size code, low nibble frequency code
**   0x04 u32  entry point
**   0x08 ...  segments: u32 load address, u32 length, length data bytes
**   end       zero padding up to a file position 15 mod 16, then the
**             checksum byte: 0xEF XOR every segment data byte
**
** esptool write_flash rewrites bytes 2-3 of an image written at address 0;
** the checksum covers only segment data, so changing them is safe. The
** SDK and NodeMCU take the flash size from this byte, not from the chip.
*/
#ifndef ESPHDR_H
#define ESPHDR_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"

#define ESPHDR_MAGIC        0xE9u
#define ESPHDR_MAX_SEGMENTS 16u
#define ESPHDR_CSUM_SEED    0xEFu     /* checksum = 0xEF ^ data bytes */
#define ESPHDR_HEADER_SIZE  8u
#define ESPHDR_SEG_HEADER   8u

/* Byte 3: size code in the high nibble, frequency code in the low one. */
#define ESPHDR_SIZE_SHIFT   4
#define ESPHDR_SIZE_MASK    0xF0u
#define ESPHDR_FREQ_MASK    0x0Fu

/* Flash modes (byte 2). NodeMCU's flash_api.h calls DOUT 15; esptool 3. */
enum esphdr_mode {
    ESPHDR_QIO = 0, ESPHDR_QOUT = 1, ESPHDR_DIO = 2, ESPHDR_DOUT = 3
};
/* Frequency codes (low nibble of byte 3). */
enum esphdr_freq {
    ESPHDR_40M = 0x0, ESPHDR_26M = 0x1, ESPHDR_20M = 0x2, ESPHDR_80M = 0xF
};
/* "Keep what the image says" for esphdr_write_flash and the parsers. */
#define ESPHDR_KEEP (-1)

/* A segment of the image: its header and where its bytes are
** (docs/flash-layout.md §2). */
typedef struct esphdr_segment {
    uint32_t addr;          /* load address                              */
    uint32_t len;           /* data bytes                                */
    uint32_t off;           /* file offset of the data                   */
} esphdr_segment_t;

/* A parsed header. Field names follow docs/flash-layout.md §2. */
typedef struct esphdr {
    uint8_t magic;          /* 0x00 1  0xE9                              */
    uint8_t segments;       /* 0x01 1  segment count                     */
    uint8_t flash_mode;     /* 0x02 1  enum esphdr_mode                  */
    uint8_t flash_size_freq; /* 0x03 1 size << 4 | freq                  */
    uint32_t entry;         /* 0x04 4  entry point                       */
    esphdr_segment_t seg[ESPHDR_MAX_SEGMENTS];
    uint32_t image_len;     /* bytes up to and with the checksum byte    */
    uint8_t checksum;       /* the stored checksum byte                  */
    uint8_t computed;       /* 0xEF ^ data: equal when the image is good */
} esphdr_t;

static inline unsigned esphdr_size_code(const esphdr_t *h)
{
    return (h->flash_size_freq & ESPHDR_SIZE_MASK) >> ESPHDR_SIZE_SHIFT;
}
static inline unsigned esphdr_freq_code(const esphdr_t *h)
{
    return h->flash_size_freq & ESPHDR_FREQ_MASK;
}

/* --- esphdr_read.c ------------------------------------------------- */

/* Parse and check the header and segments of the image at p (n bytes
** available): magic, segment count, every segment inside the data, the
** padding and checksum byte present. A wrong checksum is not an error
** here: compare h->checksum with h->computed. */
int esphdr_read(const uint8_t *p, size_t n, esphdr_t *h, lfs_diag_t *d);

/* Bytes of flash a size code stands for (0: no such code). Codes 5-7 are
** the "c1" / "2048+2048" variants of 2 and 4 MiB. */
uint32_t esphdr_size_bytes(unsigned code);
/* esptool's name of a size code ("4MB", "2MB-c1"), or "?". */
const char *esphdr_size_name(unsigned code);
/* The plain code for a flash size in bytes (256K 1, 512K 0, 1M 2, 2M 3,
** 4M 4, 8M 8, 16M 9), or -1. */
int esphdr_code_for_size(uint32_t bytes);
const char *esphdr_mode_name(unsigned mode);   /* "dio", or "?" */
const char *esphdr_freq_name(unsigned freq);   /* "40m", or "?" */
/* "qio", "qout", "dio", "dout", "keep" -> code or ESPHDR_KEEP; -2 bad. */
int esphdr_parse_mode(const char *s);
/* "40m", "26m", "20m", "80m" (also "40"), "keep" -> code or ESPHDR_KEEP;
** -2 bad. */
int esphdr_parse_freq(const char *s);

/* --- esphdr_write.c ------------------------------------------------ */

/* Set bytes 2-3 of the image at p (at least 4 bytes), as esptool
** write_flash does; each argument may be ESPHDR_KEEP. */
void esphdr_write_flash(uint8_t *p, int mode, int size_code, int freq);

/* One segment to write: load address and data (len bytes). */
typedef struct esphdr_seg_data {
    uint32_t addr;
    const void *data;
    uint32_t len;
} esphdr_seg_data_t;

/* Append a whole image to out: header, segments, zero padding and the
** checksum, as esptool elf2image lays out a version 1 image. */
int esphdr_write_image(lfs_buf_t *out, uint8_t mode, uint8_t size_freq,
                       uint32_t entry, const esphdr_seg_data_t *segs,
                       unsigned nsegs, lfs_diag_t *d);

#endif
