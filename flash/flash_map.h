/*
** flash_map.h: a whole-flash image, or a dump of the start of a flash,
** opened for reading (flash_map.c): the esptool header, the RCR page and
** the partition table as stored and as the firmware will use it, where
** the firmware ends, and whether it is flashimg's stand-in firmware.
** Read by flashimg and by the simulated device (firmware/host).
** Docs: docs/flash-layout.md §1-§3, §5. Twin: flashimg/flashimg_compose.c
** writes what this reads. May call: esphdr, ptab, lfs_diag, libc.
*/
#ifndef FLASH_MAP_H
#define FLASH_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "flash/esphdr.h"
#include "flash/ptab.h"
#include "lfs/lfs_diag.h"

#define FLASH_MAP_MIN_FLASH 0x100000u   /* NodeMCU (SDK 3) refuses less  */

/* A whole-flash image or a dump of its start, opened for reading. */
typedef struct flash_map {
    const uint8_t *p;       /* the bytes (not owned)                     */
    size_t len;             /* bytes present; may be less than the flash */
    uint32_t flash_size;    /* from the header, or as overridden         */
    esphdr_t hdr;
    ptab_page_t page;
    ptab_t table;           /* as stored                                 */
    ptab_t plan;            /* as the firmware uses it (first boot done) */
    uint32_t fw_end;        /* flash offset where the firmware ends      */
    int standin;            /* flashimg's stand-in firmware              */
} flash_map_t;

/* Parse header and partition table; plan and check the table. With
** flash_size 0 the size comes from the header byte. */
int flash_map_open(flash_map_t *f, const uint8_t *p, size_t len,
                        uint32_t flash_size, lfs_diag_t *d);
/* The planned partition of a type, or NULL. */
const ptab_item_t *flash_map_part(const flash_map_t *f,
                                       uint32_t type);

/* The stand-in firmware's segment (16 bytes at 0x40100000). */
#define FLASH_MAP_STANDIN_TAG    "flashimg-standin"
#define FLASH_MAP_STANDIN_LOAD   0x40100000u
#define FLASH_MAP_STANDIN_IROM0  0x1000u     /* its irom0: the RCR page */

#endif
