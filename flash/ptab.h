/*
** ptab.h: NodeMCU's partition table and the Reboot Configuration Record
** (RCR) page that carries it: the first 4 KiB of irom0, flash 0x10000
** (offset 0 of 0x10000.bin). Reading records and the table, the
** first-boot planning of a default table, the edits nodemcu-partition.py
** makes (with its bugs fixed), validation, and writing the page back.
** Spec: docs/flash-layout.md §3 (RCR page, table, first boot), §4 (the tool),
** §5 (offline composer), §7 (traps). Twins: ptab_read.c reads,
** ptab_write.c writes the page, ptab_plan.c plans, edits and checks.
** May call: lfs_diag, lfs_buf, libc.
**
** RCR page: records one after another from offset 0, written NOR-style.
** A record header is a u32: byte 0 = payload length in words, byte 1 =
** record id, bytes 2-3 = 0; the payload follows and the next record is at
** +4 * (length + 1). The scan stops at a header whose id byte is 0xFF
** (erased). Id 0 marks a deleted record (its length kept).
**
** Partition-table record (id 1): SDK partition_item_t {u32 type, u32 addr,
** u32 size} items. The default table compiled into a release firmware ends
** with an end marker (type 0, addr = _irom0_text_end as a mapped address,
** size 0); first boot plans addresses and sizes, writes the final table
** without the marker and reboots.
*/
#ifndef PTAB_H
#define PTAB_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_diag.h"

#define PTAB_RCR_ADDR       0x10000u    /* flash offset of the RCR page    */
#define PTAB_PAGE_SIZE      0x1000u     /* one flash sector                */
#define PTAB_FLASH_MAPPED   0x40200000u /* flash offset 0, mapped          */
#define PTAB_IROM0_MAPPED   0x40210000u /* irom0 = flash 0x10000, mapped   */
#define PTAB_MAP_LIMIT      0x100000u   /* the cache maps the first MiB    */
#define PTAB_SECTOR         0x1000u     /* alignment of every partition    */
#define PTAB_ALIGN_8K       0x2000u     /* IROM0/LFS rounding, FS alignment */
#define PTAB_SYSPARAM_SIZE  0x3000u     /* SDK system parameter area       */
#define PTAB_SPIFFS_FIXED   0x100000u   /* explicit SPIFFS sizes go here   */
#define PTAB_ALL            0xFFFFFFFFu /* SPIFFS size: all that remains   */
#define PTAB_MAX_ITEMS      85          /* 255 payload words / 3           */
#define PTAB_MAX_RECORDS    (PTAB_PAGE_SIZE / 4)

/* RCR record ids. */
enum ptab_rcr_id {
    PTAB_RCR_DELETED = 0, PTAB_RCR_PT = 1, PTAB_RCR_PHY = 2,
    PTAB_RCR_REFLASH = 3, PTAB_RCR_FLASH_LFS = 4, PTAB_RCR_INITSTR = 5,
    PTAB_RCR_STARTUP = 6, PTAB_RCR_FREE = 0xFF
};

/* Partition types: SDK ones below 100, NodeMCU's are 100 + its number. */
enum ptab_type {
    PTAB_END = 0,               /* end marker of an unplanned table      */
    PTAB_RF_CAL = 4, PTAB_PHY_DATA = 5, PTAB_SYSTEM_PARAMETER = 6,
    PTAB_EAGLEROM = 101, PTAB_IROM0TEXT = 102, PTAB_LFS0 = 103,
    PTAB_LFS1 = 104, PTAB_TLSCERT = 105, PTAB_SPIFFS0 = 106,
    PTAB_SPIFFS1 = 107
};

/* SDK partition_item_t: 12 bytes (docs/flash-layout.md §3). */
typedef struct ptab_item {
    uint32_t type;          /* 0x00 4  enum ptab_type                    */
    uint32_t addr;          /* 0x04 4  flash offset (0: plan it)         */
    uint32_t size;          /* 0x08 4  bytes (0: plan / drop it; ~0 all) */
} ptab_item_t;

/* One record of the RCR page (docs/flash-layout.md §3.1). */
typedef struct ptab_record {
    uint16_t off;           /* offset of its header in the page          */
    uint8_t len;            /* payload words                             */
    uint8_t id;             /* enum ptab_rcr_id                          */
} ptab_record_t;

/* The records of a page, in page order (docs/flash-layout.md §3). */
typedef struct ptab_page {
    ptab_record_t rec[PTAB_MAX_RECORDS];
    int nrec;
    uint32_t used;          /* bytes up to the first free header         */
    int pt;                 /* index of the partition-table record, -1   */
} ptab_page_t;

/* A partition table. */
typedef struct ptab {
    ptab_item_t item[PTAB_MAX_ITEMS];
    int n;                  /* items, the end marker excluded            */
    int unplanned;          /* it ended with an end marker: first boot   */
    uint32_t end_marker;    /* that marker's addr (_irom0_text_end)      */
} ptab_t;

/* --- ptab_read.c --------------------------------------------------- */

/* Walk the records of an RCR page (n <= 4096 bytes; a shorter buffer is
** treated as truncated). Fails on a header whose bytes 2-3 are not zero
** or a record that runs past the page. Diagnostic offsets are page
** offsets (add PTAB_RCR_ADDR for flash offsets), here and in ptab_read. */
int ptab_read_page(const uint8_t *page, size_t n, ptab_page_t *pg,
                   lfs_diag_t *d);
/* Read the table of the page's partition-table record (the first live
** one with id 1). Fails when there is none, its length is not a multiple
** of 3 words, or an end marker is not the last item. */
int ptab_read(const uint8_t *page, const ptab_page_t *pg, ptab_t *t,
              lfs_diag_t *d);
/* "LFS0", "SPIFFS0", "SYSTEM_PARAMETER", ... or "type 42" (buf). */
const char *ptab_type_name(uint32_t type, char *buf, size_t n);
/* Name of a record id ("partition table", "startup options", ...). */
const char *ptab_rcr_name(uint8_t id);
/* Index of the first item of a type, or -1. */
int ptab_find(const ptab_t *t, uint32_t type);

/* --- ptab_plan.c --------------------------------------------------- */

/* What first boot (user_pre_init) does with an unplanned table on a flash
** of flash_size bytes, exactly (docs/flash-layout.md §3): IROM0 from the end
** marker rounded up to 8 KiB, LFS rounded up to 8 KiB after it, SPIFFS
** "all" up to the system area or explicit sizes at 1 MiB, the system
** area at the end, empty items dropped, alignment and order checked. A
** planned table is left as it is. */
int ptab_plan_firstboot(ptab_t *t, uint32_t flash_size, lfs_diag_t *d);

/* Changes asked for (nodemcu-partition.py's -la -ls -sa -ss, flashimg's
** --lfs-addr ...): PTAB_UNSET keeps the table's value. */
#define PTAB_UNSET 0xFFFFFFFEu
typedef struct ptab_req {
    uint32_t lfs_addr, lfs_size;
    uint32_t spiffs_addr, spiffs_size;  /* spiffs_size may be PTAB_ALL */
} ptab_req_t;
void ptab_req_init(ptab_req_t *r);

/* Apply changes to a planned table as nodemcu-partition.py does, its bugs
** fixed (tests/deviations/flashimg-*.md): a missing LFS item is added
** after IROM0, a missing SPIFFS item before the system area; LFS sizes
** are rounded up to 8 KiB; SPIFFS "all" ends at the system area;
** addresses asked for are kept (a clash is refused by ptab_check), the
** others move up past the partition before them, and sizes not asked for
** shrink to fit the flash; the system area is put at the end of the
** flash. */
int ptab_apply(ptab_t *t, const ptab_req_t *req, uint32_t flash_size,
               lfs_diag_t *d);

/* Check a planned table as NodeMCU and the SDK require: 4 KiB-aligned
** addresses and sizes, no empty item, ascending and not overlapping,
** inside the flash, RF_CAL, PHY_DATA and SYSTEM_PARAMETER present, LFS
** inside the mapped first MiB. The message names the partitions and the
** numbers. */
int ptab_check(const ptab_t *t, uint32_t flash_size, lfs_diag_t *d);

/* --- ptab_write.c -------------------------------------------------- */

/* Write an RCR page into out (4096 bytes): the live records of the old
** page (pg may be NULL) other than partition tables, in their order, then
** the table t as one record (with its end marker if t->unplanned), then
** 0xFF. Fails when it does not fit. */
int ptab_write_page(const uint8_t *old, const ptab_page_t *pg,
                    const ptab_t *t, uint8_t out[PTAB_PAGE_SIZE],
                    lfs_diag_t *d);

#endif
