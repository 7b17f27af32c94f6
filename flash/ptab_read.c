/*
** ptab_read.c: walks the RCR page and reads NodeMCU's partition table
** from it (ptab.h). Untrusted bytes: every record is bounded by the page.
** Spec: docs/flash-layout.md §3. Twin: ptab_write.c.
** May call: lfs_buf, lfs_diag, libc.
*/
#include "flash/ptab.h"

#include <stdio.h>
#include <string.h>

#include "lfs/lfs_buf.h"

int ptab_read_page(const uint8_t *page, size_t n, ptab_page_t *pg,
                   lfs_diag_t *d)
{
    memset(pg, 0, sizeof *pg);
    pg->pt = -1;
    if (n > PTAB_PAGE_SIZE)
        n = PTAB_PAGE_SIZE;
    uint32_t off = 0;
    while (off < n) {
        if (n - off < 4)
            return lfs_fail(d, (long)off, LFS_EFORMAT, "RCR record header"
                            " cut off by the end of the data");
        uint8_t len = page[off], id = page[off + 1];
        if (id == PTAB_RCR_FREE)
            break;
        if (page[off + 2] != 0 || page[off + 3] != 0)
            return lfs_fail(d, (long)off, LFS_EFORMAT, "RCR record header"
                            " %02x %02x %02x %02x: bytes 2-3 must be zero;"
                            " this is not a NodeMCU partition-table page",
                            len, id, page[off + 2], page[off + 3]);
        uint32_t next = off + 4 * ((uint32_t)len + 1);
        if (next > PTAB_PAGE_SIZE || next > n)
            return lfs_fail(d, (long)off, LFS_EFORMAT, "RCR record (id %u,"
                            " %u words) runs past the end of the %s", id,
                            len, n < PTAB_PAGE_SIZE ? "data" : "4 KiB page");
        pg->rec[pg->nrec].off = (uint16_t)off;
        pg->rec[pg->nrec].len = len;
        pg->rec[pg->nrec].id = id;
        if (id == PTAB_RCR_PT && pg->pt < 0)
            pg->pt = pg->nrec;
        pg->nrec++;
        off = next;
    }
    pg->used = off < n ? off : (uint32_t)n;
    return 0;
}

int ptab_read(const uint8_t *page, const ptab_page_t *pg, ptab_t *t,
              lfs_diag_t *d)
{
    memset(t, 0, sizeof *t);
    if (pg->pt < 0)
        return lfs_fail(d, 0, LFS_EFORMAT, "no partition-table"
                        " record (RCR id 1) in the page at 0x10000; this is"
                        " not a NodeMCU release (SDK 3) firmware");
    const ptab_record_t *r = &pg->rec[pg->pt];
    long at = r->off;
    if (r->len == 0 || r->len % 3)
        return lfs_fail(d, at, LFS_EFORMAT, "partition-table record of %u"
                        " words: it holds 3 words per partition", r->len);
    int n = r->len / 3;
    const uint8_t *p = page + r->off + 4;
    for (int i = 0; i < n; i++, p += 12) {
        ptab_item_t it = { lfs_le32(p), lfs_le32(p + 4), lfs_le32(p + 8) };
        if (it.type == PTAB_END) {
            if (i != n - 1)
                return lfs_fail(d, at + 4 + 12 * i, LFS_EFORMAT, "partition"
                                " %d is an end marker (type 0) but not the"
                                " last one", i + 1);
            t->unplanned = 1;
            t->end_marker = it.addr;
            break;
        }
        t->item[t->n++] = it;
    }
    return 0;
}

const char *ptab_type_name(uint32_t type, char *buf, size_t n)
{
    switch (type) {
    case PTAB_END:              return "END";
    case PTAB_RF_CAL:           return "RF_CAL";
    case PTAB_PHY_DATA:         return "PHY_DATA";
    case PTAB_SYSTEM_PARAMETER: return "SYSTEM_PARAMETER";
    case PTAB_EAGLEROM:         return "EAGLEROM";
    case PTAB_IROM0TEXT:        return "IROM0TEXT";
    case PTAB_LFS0:             return "LFS0";
    case PTAB_LFS1:             return "LFS1";
    case PTAB_TLSCERT:          return "TLSCERT";
    case PTAB_SPIFFS0:          return "SPIFFS0";
    case PTAB_SPIFFS1:          return "SPIFFS1";
    default:
        snprintf(buf, n, "type %u", type);
        return buf;
    }
}

const char *ptab_rcr_name(uint8_t id)
{
    switch (id) {
    case PTAB_RCR_DELETED:   return "deleted";
    case PTAB_RCR_PT:        return "partition table";
    case PTAB_RCR_PHY:       return "PHY data set up";
    case PTAB_RCR_REFLASH:   return "reflash";
    case PTAB_RCR_FLASH_LFS: return "flash LFS";
    case PTAB_RCR_INITSTR:   return "init string";
    case PTAB_RCR_STARTUP:   return "startup options";
    default:                 return "unknown";
    }
}

int ptab_find(const ptab_t *t, uint32_t type)
{
    for (int i = 0; i < t->n; i++)
        if (t->item[i].type == type)
            return i;
    return -1;
}
