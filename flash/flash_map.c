/*
** flash_map.c: opens a whole-flash image, or a dump of the start of
** a flash, for reading: the esptool header at 0, the RCR page at 0x10000,
** the partition table as stored and as the firmware will use it (first
** boot planned), where the firmware ends, and whether it is flashimg's
** stand-in firmware.
** Spec: docs/flash-layout.md §1-§3, §5. Twin: flashimg_compose.c writes what
** this reads. May call: esphdr, ptab, lfs_diag, libc.
*/
#include "flash/flash_map.h"

#include <string.h>

static int page_fail(lfs_diag_t *d)
{
    if (d->offset >= 0)
        d->offset += PTAB_RCR_ADDR;
    return d->code;
}

int flash_map_open(flash_map_t *f, const uint8_t *p, size_t len,
                        uint32_t flash_size, lfs_diag_t *d)
{
    memset(f, 0, sizeof *f);
    f->p = p;
    f->len = len;
    if (esphdr_read(p, len, &f->hdr, d))
        return d->code;
    if (flash_size == 0) {
        unsigned code = esphdr_size_code(&f->hdr);
        flash_size = esphdr_size_bytes(code);
        if (flash_size == 0)
            return lfs_fail(d, 3, LFS_EFORMAT, "header flash size code %u is"
                            " not an ESP8266 flash size (0-9)", code);
        if (len > flash_size)
            return lfs_fail(d, 3, LFS_EFORMAT, "the header says a %s flash"
                            " but the image has 0x%zx bytes; give the real"
                            " size with --flash-size (flashimg partition"
                            " -fs SIZE corrects the header)",
                            esphdr_size_name(code), len);
    }
    f->flash_size = flash_size;
    if (len < PTAB_RCR_ADDR + 4)
        return lfs_fail(d, (long)len, LFS_EFORMAT, "the data ends at 0x%zx,"
                        " without the partition-table page at 0x10000-"
                        "0x11000; read at least 0x11000 bytes of the flash",
                        len);
    size_t pn = len - PTAB_RCR_ADDR;
    if (pn > PTAB_PAGE_SIZE)
        pn = PTAB_PAGE_SIZE;
    const uint8_t *page = p + PTAB_RCR_ADDR;
    if (ptab_read_page(page, pn, &f->page, d) ||
        ptab_read(page, &f->page, &f->table, d))
        return page_fail(d);
    f->standin = f->hdr.segments == 1 &&
                 f->hdr.seg[0].addr == FLASH_MAP_STANDIN_LOAD &&
                 f->hdr.seg[0].len == 16 &&
                 memcmp(p + f->hdr.seg[0].off, FLASH_MAP_STANDIN_TAG, 16) == 0;
    f->plan = f->table;
    if (ptab_plan_firstboot(&f->plan, flash_size, d) ||
        ptab_check(&f->plan, flash_size, d))
        return d->code;
    const ptab_item_t *irom = flash_map_part(f, PTAB_IROM0TEXT);
    if (!irom || irom->addr != PTAB_RCR_ADDR)
        return lfs_fail(d, -1, LFS_EFORMAT, "the partition table has no"
                        " IROM0TEXT partition at 0x10000; this is not a"
                        " NodeMCU layout");
    f->fw_end = f->table.unplanned
                ? f->table.end_marker - PTAB_FLASH_MAPPED
                : irom->addr + irom->size;
    return 0;
}

const ptab_item_t *flash_map_part(const flash_map_t *f,
                                       uint32_t type)
{
    int i = ptab_find(&f->plan, type);
    return i < 0 ? NULL : &f->plan.item[i];
}
