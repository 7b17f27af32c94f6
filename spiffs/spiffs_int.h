/*
** spiffs_int.h: helpers shared by the SPIFFS library's files only: storage
** access with the lookup-page cache, lookup scans, page checks (§1.6), the
** index-page finder, and the page primitives of the write side that the
** mount-time repair reuses. Not for callers of the library.
** Spec: docs/spiffs.md §1.3, §1.6, §1.16, §5.3. Twin: none.
** May call: libc.
*/
#ifndef SPIFFS_INT_H
#define SPIFFS_INT_H

#include "spiffs/spiffs.h"

#define SPIFFS_INTERNAL /* cross-file, not exported API */

/* FS offset of page pix, of block b's lookup page. */
#define SPIFFS_PIX_ADDR(pix)   ((uint32_t)(pix) * SPIFFS_PAGE_SIZE)

SPIFFS_INTERNAL int spiffs_rd(spiffs_t *fs, uint32_t addr, void *buf,
                              uint32_t n);
SPIFFS_INTERNAL int spiffs_wr(spiffs_t *fs, uint32_t addr, const void *buf,
                              uint32_t n);
SPIFFS_INTERNAL int spiffs_er(spiffs_t *fs, uint32_t block);
/* Lookup entry e of block b (through the one-page cache). */
SPIFFS_INTERNAL int spiffs_lu(spiffs_t *fs, uint32_t b, uint32_t e,
                              uint16_t *v);
/* Page index described by lookup entry e of block b, and back. */
SPIFFS_INTERNAL uint32_t spiffs_entry_pix(const spiffs_t *fs, uint32_t b,
                                          uint32_t e);
/* 1 if pix is an object page inside the FS (not a lookup page). */
SPIFFS_INTERNAL int spiffs_pix_ok(const spiffs_t *fs, uint32_t pix);
/* Is this 5-byte page header a usable page of object `id` (bit 15 clear)
** with span `span`: index page when ix, else data page (§1.6)? */
SPIFFS_INTERNAL int spiffs_hdr_ok(const uint8_t *h, uint16_t id,
                                  uint16_t span, int ix);
/* Is the page at pix (lookup entry lu) a live index header (§1.6)? */
SPIFFS_INTERNAL int spiffs_is_header(const uint8_t *h, uint16_t lu);
/* Find the index header of `name`; fills st, or SPIFFS_ENOENT. */
SPIFFS_INTERNAL int spiffs_find(spiffs_t *fs, const char *name,
                                spiffs_stat_t *st);
/* Fill st from a header page. */
SPIFFS_INTERNAL void spiffs_hdr_stat(const uint8_t *page, uint16_t pix,
                                     spiffs_stat_t *st);
/* Find the usable index page (id, span k); k = 0 is the header. Sets
** *pix, or returns SPIFFS_ENOENT. */
SPIFFS_INTERNAL int spiffs_find_ix(spiffs_t *fs, uint16_t id, uint16_t k,
                                   uint16_t *pix);

/* --- write side (spiffs_write.c), for the repair (spiffs_repair.c) --- */

/* Erase block b and write its erase count and magic (§1.14). */
SPIFFS_INTERNAL int spiffs_block_init(spiffs_t *fs, uint32_t b);
/* Set the lookup entry of page pix. */
SPIFFS_INTERNAL int spiffs_set_lu(spiffs_t *fs, uint32_t pix, uint16_t v);
/* Clear flag bits `bits` (SPIFFS_F_*) of page pix in place. */
SPIFFS_INTERNAL int spiffs_clear_flags(spiffs_t *fs, uint32_t pix,
                                       uint8_t bits);
/* Mark page pix deleted: DELET flag first, then lookup entry 0x0000. */
SPIFFS_INTERNAL int spiffs_delete_page(spiffs_t *fs, uint32_t pix);
/* Write a whole new page (lookup entry first) outside block `avoid`. */
SPIFFS_INTERNAL int spiffs_new_page(spiffs_t *fs, uint16_t lu,
                                    const uint8_t *page, uint32_t avoid,
                                    uint32_t *pixp);
/* Make page pix hold `page`: in place when that only clears bits, else
** in a new page (*newpix), the old one deleted, or, when stale is not
** NULL, left for the caller to delete (*stale = its pix; else
** UINT32_MAX). */
SPIFFS_INTERNAL int spiffs_update_page(spiffs_t *fs, uint32_t pix,
                                       uint16_t lu, const uint8_t *page,
                                       uint32_t *newpix, uint32_t *stale);
/* Delete every page of object id, the header at hpix last (§5.4). */
SPIFFS_INTERNAL int spiffs_purge(spiffs_t *fs, uint16_t id, uint32_t hpix);

/* --- repair (spiffs_repair.c) --------------------------------------- */

/* Finish or undo what a power cut interrupted (§5.6). */
SPIFFS_INTERNAL int spiffs_repair(spiffs_t *fs);

#endif
