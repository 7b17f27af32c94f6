/*
** spiffs_format.h: the SPIFFS on-flash format as NodeMCU configures it:
** geometry constants, the page header, the index header, flag bits, the
** block magic and the span arithmetic, with little-endian accessors.
** Spec: docs/spiffs.md §1.1-§1.13. Twin: none (shared by spiffs_read.c,
** spiffs_write.c and spiffs_fsck.c). May call: libc.
**
** The structs below document the layout field by field; host code never
** overlays them on untrusted bytes: it reads fields through SPIFFS_LE16/32
** at the SPIFFS_OFF_* offsets, which the _Static_asserts tie to the structs.
*/
#ifndef SPIFFS_FORMAT_H
#define SPIFFS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* §1.1 configuration (fixed by NodeMCU's build) */
#define SPIFFS_PAGE_SIZE        256u    /* logical page */
#define SPIFFS_SECTOR_SIZE      4096u   /* physical erase size */
#define SPIFFS_BLOCK_LARGE      8192u   /* logical block, FS >= 32 KiB */
#define SPIFFS_BLOCK_SMALL      4096u   /* logical block, FS < 32 KiB */
#define SPIFFS_SMALL_FS_LIMIT   32768u  /* §1.18 step 3 */
#define SPIFFS_MIN_FS_SIZE      16384u  /* §1.18 step 3: smaller fails */
#define SPIFFS_NAME_LEN         32u     /* name field incl. NUL */
#define SPIFFS_NAME_MAX         31u     /* longest name, bytes */
#define SPIFFS_MAX_FS_SIZE      (65536u * SPIFFS_PAGE_SIZE) /* u16 pix */

/* §1.2 derived geometry (one lookup page per block for both sizes) */
#define SPIFFS_LOOKUP_PAGES     1u
#define SPIFFS_DATA_PER_PAGE    251u    /* 256 - 5-byte page header */
#define SPIFFS_HDR_SLOTS        105u    /* (256 - 46) / 2 */
#define SPIFFS_IX_SLOTS         124u    /* (256 - 8) / 2 */
#define SPIFFS_RESERVE_BLOCKS   2u      /* §1.17 kept free for GC */

/* §1.4 lookup entry values; §1.5 magic */
#define SPIFFS_LU_FREE          0xFFFFu
#define SPIFFS_LU_DELETED       0x0000u
#define SPIFFS_ID_IX_FLAG       0x8000u /* bit 15: index page */
#define SPIFFS_ID_MAX           0x7FFEu /* 0x7FFF|0x8000 would read free */
#define SPIFFS_MAGIC_BASE       0x0429u /* low16(0x20140529 ^ 256) */
#define SPIFFS_LU_MAGIC_OFF     0xFCu   /* magic in the lookup page */
#define SPIFFS_LU_ERASE_OFF     0xFEu   /* erase count */

/* §1.6 flag bits, active low: a cleared bit means the event happened. */
#define SPIFFS_F_USED           0x01u   /* 0: page written */
#define SPIFFS_F_FINAL          0x02u   /* 0: write finished */
#define SPIFFS_F_INDEX          0x04u   /* 0: index page, 1: data page */
#define SPIFFS_F_IXDELE         0x40u   /* 0: index header being deleted */
#define SPIFFS_F_DELET          0x80u   /* 0: page deleted */
#define SPIFFS_FLAGS_DATA       0xFCu   /* valid data page */
#define SPIFFS_FLAGS_INDEX      0xF8u   /* valid index page */
/* Bits that decide validity; bits 3-5 are ignored by readers. */
#define SPIFFS_FLAGS_MASK       (SPIFFS_F_USED | SPIFFS_F_FINAL | \
                                 SPIFFS_F_INDEX | SPIFFS_F_DELET)

#define SPIFFS_TYPE_FILE        1u      /* §1.7 object type */
#define SPIFFS_SIZE_UNDEF       0xFFFFFFFFu /* §1.12 empty/new file */

/* Page header: first 5 bytes of every non-lookup page (§1.6). */
typedef struct spiffs_page_header {
    uint8_t obj_id[2];  /* 0x00 2  object id; bit 15 set on index pages   */
    uint8_t span_ix[2]; /* 0x02 2  span index (data or index span)        */
    uint8_t flags;      /* 0x04 1  SPIFFS_F_* bits, active low            */
} spiffs_page_header_t;
_Static_assert(sizeof(spiffs_page_header_t) == 5, "docs/spiffs.md §1.6");

/* Object index header page, span 0 of an object (§1.7). */
typedef struct spiffs_ix_header {
    spiffs_page_header_t p; /* 0x00 5  id|0x8000, span 0, flags 0xF8    */
    uint8_t pad[3];     /* 0x05 3  alignment padding; we write 0xFF         */
    uint8_t size[4];    /* 0x08 4  file bytes; 0xFFFFFFFF = new/empty       */
    uint8_t type;       /* 0x0C 1  1 = file                                 */
    uint8_t name[SPIFFS_NAME_LEN]; /* 0x0D 32  NUL-terminated, NUL-padded */
    uint8_t pad2;       /* 0x2D 1  struct tail padding; we write 0xFF       */
    uint8_t slots[SPIFFS_HDR_SLOTS][2]; /* 0x2E 210  pix of data spans    */
} spiffs_ix_header_t;
#define SPIFFS_OFF_SIZE     8u
#define SPIFFS_OFF_TYPE     12u
#define SPIFFS_OFF_NAME     13u
#define SPIFFS_OFF_HSLOTS   46u
_Static_assert(sizeof(spiffs_ix_header_t) == SPIFFS_PAGE_SIZE &&
               offsetof(spiffs_ix_header_t, size) == SPIFFS_OFF_SIZE &&
               offsetof(spiffs_ix_header_t, type) == SPIFFS_OFF_TYPE &&
               offsetof(spiffs_ix_header_t, name) == SPIFFS_OFF_NAME &&
               offsetof(spiffs_ix_header_t, slots) == SPIFFS_OFF_HSLOTS,
               "docs/spiffs.md §1.7");

/* Object index page, span k >= 1 (§1.8). */
typedef struct spiffs_ix_page {
    spiffs_page_header_t p; /* 0x00 5  id|0x8000, span k, flags 0xF8    */
    uint8_t pad[3];     /* 0x05 3  padding, 0xFF                            */
    uint8_t slots[SPIFFS_IX_SLOTS][2]; /* 0x08 248  pix of data spans     */
} spiffs_ix_page_t;
#define SPIFFS_OFF_ISLOTS   8u
_Static_assert(sizeof(spiffs_ix_page_t) == SPIFFS_PAGE_SIZE &&
               offsetof(spiffs_ix_page_t, slots) == SPIFFS_OFF_ISLOTS,
               "docs/spiffs.md §1.8");

/* Data page (§1.9): header, then file bytes [s*251, s*251+251). */
typedef struct spiffs_data_page {
    spiffs_page_header_t p; /* 0x00 5  id, data span s, flags 0xFC      */
    uint8_t data[SPIFFS_DATA_PER_PAGE]; /* 0x05 251  tail 0xFF (§1.9)   */
} spiffs_data_page_t;
#define SPIFFS_OFF_DATA     5u
_Static_assert(sizeof(spiffs_data_page_t) == SPIFFS_PAGE_SIZE,
               "docs/spiffs.md §1.9");

/* Little-endian accessors: byte order is converted here only. */
#define SPIFFS_LE16(p) ((uint16_t)((p)[0] | (p)[1] << 8))
#define SPIFFS_LE32(p) ((uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | \
                        (uint32_t)(p)[2] << 16 | (uint32_t)(p)[3] << 24)
static inline void spiffs_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void spiffs_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* §1.5: the magic of block b in an FS of n blocks. */
static inline uint16_t spiffs_magic(uint32_t nblocks, uint32_t b)
{
    return (uint16_t)(SPIFFS_MAGIC_BASE ^ (nblocks - b));
}

/* §1.10 span arithmetic for data span s. */
static inline uint32_t spiffs_ix_span(uint32_t s)
{
    return s < SPIFFS_HDR_SLOTS ? 0 : 1 + (s - SPIFFS_HDR_SLOTS) /
                                          SPIFFS_IX_SLOTS;
}
/* Byte offset of the slot for data span s inside its index page. */
static inline uint32_t spiffs_slot_off(uint32_t s)
{
    return s < SPIFFS_HDR_SLOTS ? SPIFFS_OFF_HSLOTS + 2 * s :
           SPIFFS_OFF_ISLOTS + 2 * ((s - SPIFFS_HDR_SLOTS) % SPIFFS_IX_SLOTS);
}
/* Data pages and index pages (header included) of a file of `size`. */
static inline uint32_t spiffs_data_pages(uint64_t size)
{
    return (uint32_t)((size + SPIFFS_DATA_PER_PAGE - 1) /
                      SPIFFS_DATA_PER_PAGE);
}
static inline uint32_t spiffs_ix_pages(uint64_t size)
{
    uint32_t d = spiffs_data_pages(size);
    return d <= SPIFFS_HDR_SLOTS ? 1 :
           1 + (d - SPIFFS_HDR_SLOTS + SPIFFS_IX_SLOTS - 1) / SPIFFS_IX_SLOTS;
}

#endif
