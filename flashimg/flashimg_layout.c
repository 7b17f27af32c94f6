/*
** flashimg_layout.c: the step compose and partition share: on a flash
** image that holds a firmware, plan the partition table (first boot, then
** the changes asked for), check it, write it back into the RCR page as a
** final table, set the header's flash bytes, and place an LFS image and a
** SPIFFS file system into their partitions.
** Spec: docs/flash-layout.md §3-§5 (§5 is this recipe), docs/spiffs.md §1.18
** (FS start and block size), docs/lfs51.md §4-§5. Twin: flash/flash_map.c reads
** what this writes. May call: esphdr, ptab, flashimg_lfs,
** flashimg_spiffs, lfs_file, lfs_buf, lfs_diag, libc.
*/
#include "flashimg/flashimg_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"
#include "spiffs/spiffs.h"

/* Grow img with 0xFF so that it holds [0, end). */
static int cover(lfs_buf_t *img, size_t end, lfs_diag_t *d)
{
    if (img->len >= end)
        return 0;
    size_t add = end - img->len;
    if (lfs_buf_reserve(img, add) < 0)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    memset(img->data + img->len, 0xFF, add);
    img->len = end;
    return 0;
}

void flashimg_table_text(const ptab_t *t, lfs_buf_t *out)
{
    char b[160], nb[32];
    snprintf(b, sizeof b, "  #  partition             start     size      "
             "end\n");
    lfs_buf_put(out, b, strlen(b));
    for (int i = 0; i < t->n; i++) {
        const ptab_item_t *it = &t->item[i];
        char name[48];
        snprintf(name, sizeof name, "%s (%u)",
                 ptab_type_name(it->type, nb, sizeof nb), it->type);
        if (it->size == PTAB_ALL)
            snprintf(b, sizeof b, "  %-2d %-21s 0x%06x  all\n", i + 1, name,
                     it->addr);
        else
            snprintf(b, sizeof b, "  %-2d %-21s 0x%06x  0x%06x  0x%06llx\n",
                     i + 1, name, it->addr, it->size,
                     (unsigned long long)it->addr + it->size);
        lfs_buf_put(out, b, strlen(b));
    }
    if (t->unplanned) {
        snprintf(b, sizeof b, "  %-2d %-21s 0x%08x (firmware end 0x%x)\n",
                 t->n + 1, "END (0)", t->end_marker,
                 t->end_marker - PTAB_FLASH_MAPPED);
        lfs_buf_put(out, b, strlen(b));
    }
}

static int place_lfs(const flashimg_job_t *job, const ptab_item_t *part,
                     lfs_buf_t *img, lfs_buf_t *report, lfs_diag_t *d)
{
    uint8_t *file;
    size_t n;
    lfs_diag_init(d, job->lfs_file);
    if (!part)
        return lfs_fail(d, -1, LFS_EUSAGE, "no LFS partition to put it in:"
                        " the firmware reserves none (LUA_FLASH_STORE 0);"
                        " give --lfs-size to add one");
    if (lfs_file_read(job->lfs_file, FLASHIMG_MAX_INPUT, &file, &n, d))
        return d->code;
    lfs_buf_t out;
    flashimg_lfs_info_t info;
    lfs_buf_init(&out);
    int rc = flashimg_lfs_prepare(file, n, job->prof, part->addr, part->size,
                                  &out, &info, d);
    free(file);
    if (!rc)
        rc = cover(img, (size_t)part->addr + out.len, d);
    if (!rc) {
        memcpy(img->data + part->addr, out.data, out.len);
        char b[256];
        snprintf(b, sizeof b, "LFS: %s, Lua %s %s image, 0x%x bytes, %d"
                 " module%s, at 0x%x (mapped 0x%08x)\n", job->lfs_file,
                 info.dialect == 51 ? "5.1" : "5.3",
                 info.dialect == 51 ? (info.integral ? "integer" : "float")
                                    : (info.integral ? "64-bit" : "32-bit"),
                 info.image_size, info.nmodules,
                 info.nmodules == 1 ? "" : "s", part->addr,
                 PTAB_FLASH_MAPPED + part->addr);
        lfs_buf_put(report, b, strlen(b));
        snprintf(b, sizeof b, "     %s\n", info.relocatable
                 ? "relocated to its partition, as node.LFS.reload does"
                 : "absolute, built for this partition: stored as it is");
        lfs_buf_put(report, b, strlen(b));
    }
    lfs_buf_free(&out);
    return rc;
}

static int place_spiffs(const flashimg_job_t *job, const ptab_item_t *part,
                        lfs_buf_t *img, lfs_buf_t *report, lfs_diag_t *d)
{
    const char *src = job->spiffs_dir ? job->spiffs_dir : job->spiffs_file;
    uint32_t fs_addr, fs_size;
    lfs_diag_init(d, job->spiffs_dir ? NULL : src);
    if (!part)
        return lfs_fail(d, -1, LFS_EUSAGE, "no SPIFFS partition to put it"
                        " in; give --spiffs-size to add one");
    if (spiffs_fw_region(part->addr, part->size, &fs_addr, &fs_size) < 0)
        return lfs_fail(d, -1, LFS_ELIMIT, "SPIFFS0 0x%x+0x%x leaves less"
                        " than 16 KiB of 8 KiB-aligned space: the firmware"
                        " mounts no file system there; enlarge it"
                        " (--spiffs-size)", part->addr, part->size);
    int rc = cover(img, (size_t)fs_addr + fs_size, d);
    if (rc)
        return rc;
    uint32_t len = fs_size;
    if (job->spiffs_dir) {
        rc = flashimg_spiffs_build(job->spiffs_dir, job->out,
                                   img->data + fs_addr, fs_size, d);
    } else {
        uint8_t *file;
        size_t n;
        if (lfs_file_read(src, FLASHIMG_MAX_INPUT, &file, &n, d))
            return d->code;
        rc = flashimg_spiffs_check(file, n, fs_size, d);
        if (!rc)
            memcpy(img->data + fs_addr, file, n);
        len = (uint32_t)n;
        free(file);
    }
    if (!rc) {
        char b[300];
        snprintf(b, sizeof b, "SPIFFS: %s, 0x%x bytes at 0x%x (partition"
                 " 0x%x+0x%x, file system 0x%x+0x%x, %u-byte blocks)\n",
                 src, len, fs_addr, part->addr, part->size, fs_addr,
                 fs_size, spiffs_fw_block_size(fs_size));
        lfs_buf_put(report, b, strlen(b));
    }
    return rc;
}

int flashimg_layout(const flashimg_job_t *job, lfs_buf_t *img,
                    lfs_buf_t *report, lfs_diag_t *d)
{
    flash_map_t f;
    uint8_t oldpage[PTAB_PAGE_SIZE], page[PTAB_PAGE_SIZE];
    lfs_diag_init(d, job->fw_name);
    if (flash_map_open(&f, img->data, img->len, job->flash_size, d))
        return d->code;
    memset(oldpage, 0xFF, sizeof oldpage);
    memcpy(oldpage, img->data + PTAB_RCR_ADDR,
           img->len - PTAB_RCR_ADDR < PTAB_PAGE_SIZE
           ? img->len - PTAB_RCR_ADDR : PTAB_PAGE_SIZE);
    ptab_t t = f.plan;
    lfs_diag_init(d, NULL);
    if (ptab_apply(&t, &job->req, job->flash_size, d) ||
        ptab_check(&t, job->flash_size, d))
        return d->code;
    /* the firmware must fit the table it carries */
    int ie = ptab_find(&t, PTAB_EAGLEROM), ii = ptab_find(&t, PTAB_IROM0TEXT);
    if (ie >= 0 && f.hdr.image_len > t.item[ie].size)
        return lfs_fail(d, -1, LFS_ELIMIT, "the esptool image at 0 has 0x%x"
                        " bytes, more than EAGLEROM 0x%x+0x%x",
                        f.hdr.image_len, t.item[ie].addr, t.item[ie].size);
    if (ii < 0 || job->fw_end > (uint64_t)t.item[ii].addr + t.item[ii].size)
        return lfs_fail(d, -1, LFS_ELIMIT, "the firmware ends at 0x%x,"
                        " beyond IROM0TEXT 0x%x+0x%x", job->fw_end,
                        ii < 0 ? 0 : t.item[ii].addr,
                        ii < 0 ? 0 : t.item[ii].size);
    if (ptab_write_page(oldpage, &f.page, &t, page, d))
        return d->code;
    memcpy(img->data + PTAB_RCR_ADDR, page, sizeof page);
    int code = esphdr_code_for_size(job->flash_size);
    esphdr_write_flash(img->data, job->mode, job->set_size ? code
                       : ESPHDR_KEEP, job->freq);
    lfs_buf_put(report, "partition table:\n", 17);
    flashimg_table_text(&t, report);
    int il = ptab_find(&t, PTAB_LFS0), is = ptab_find(&t, PTAB_SPIFFS0);
    if (job->lfs_file && place_lfs(job, il < 0 ? NULL : &t.item[il], img,
                                   report, d))
        return d->code;
    if ((job->spiffs_file || job->spiffs_dir) &&
        place_spiffs(job, is < 0 ? NULL : &t.item[is], img, report, d))
        return d->code;
    if (report->err || img->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    return 0;
}
