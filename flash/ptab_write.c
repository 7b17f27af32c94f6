/*
** ptab_write.c: writes an RCR page holding a partition table (ptab.h),
** keeping the page's other live records in their order, as
** nodemcu-partition.py rebuilds it (docs/flash-layout.md §4 step 4).
** Spec: docs/flash-layout.md §3, §5 step 3. Twin: ptab_read.c.
** May call: lfs_buf, lfs_diag, libc.
*/
#include "flash/ptab.h"

#include <string.h>

#include "lfs/lfs_buf.h"

int ptab_write_page(const uint8_t *old, const ptab_page_t *pg,
                    const ptab_t *t, uint8_t out[PTAB_PAGE_SIZE],
                    lfs_diag_t *d)
{
    uint32_t pos = 0;
    memset(out, 0xFF, PTAB_PAGE_SIZE);
    for (int i = 0; pg && i < pg->nrec; i++) {
        const ptab_record_t *r = &pg->rec[i];
        if (r->id == PTAB_RCR_DELETED || r->id == PTAB_RCR_PT)
            continue;
        uint32_t n = 4 * ((uint32_t)r->len + 1);
        if (pos + n > PTAB_PAGE_SIZE)
            return lfs_fail(d, -1, LFS_ELIMIT, "the RCR page is full");
        memcpy(out + pos, old + r->off, n);
        pos += n;
    }
    int items = t->n + (t->unplanned ? 1 : 0);
    if (items > PTAB_MAX_ITEMS)
        return lfs_fail(d, -1, LFS_ELIMIT, "%d partitions: a table holds"
                        " at most %d", items, PTAB_MAX_ITEMS);
    uint32_t n = 4 + 12 * (uint32_t)items;
    if (pos + n > PTAB_PAGE_SIZE)
        return lfs_fail(d, -1, LFS_ELIMIT, "the RCR page has no room for"
                        " the partition table (%u bytes)", n);
    out[pos] = (uint8_t)(3 * items);
    out[pos + 1] = PTAB_RCR_PT;
    out[pos + 2] = 0;
    out[pos + 3] = 0;
    uint8_t *p = out + pos + 4;
    for (int i = 0; i < t->n; i++, p += 12) {
        lfs_put_le32(p, t->item[i].type);
        lfs_put_le32(p + 4, t->item[i].addr);
        lfs_put_le32(p + 8, t->item[i].size);
    }
    if (t->unplanned) {
        lfs_put_le32(p, PTAB_END);
        lfs_put_le32(p + 4, t->end_marker);
        lfs_put_le32(p + 8, 0);
    }
    return 0;
}
