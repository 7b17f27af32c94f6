/*
** flashimg_extract.c: `flashimg extract FLASH PART -o FILE`: one part of a
** flash image or dump: the LFS image (its header's size), the SPIFFS file
** system (the size its block magics announce, from the 8 KiB-aligned FS
** start), the firmware (combined, or its two esptool files), the RCR
** page, a whole partition by its type name, or an address range.
** Spec: docs/flash-layout.md §1-§3, docs/lfs51.md §4.2, docs/spiffs.md §1.18.
** Twin: flashimg_compose.c puts the parts in. May call: flashimg (flash, lfs,
** spiffs, util), ptab, the SPIFFS library, lfs_cli, lfs_file, lfs_diag,
** libc.
*/
#include "flashimg/flashimg.h"
#include "flashimg/flashimg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lfs/lfs_file.h"
#include "spiffs/spiffs.h"

/* "0x80000:0x40000" (start:size) or "0x80000-0xc0000" (start-end). */
static int parse_range(const char *s, uint32_t *start, uint32_t *len)
{
    char a[64];
    const char *sep = strpbrk(s, ":-");
    if (!sep || (size_t)(sep - s) >= sizeof a)
        return -1;
    memcpy(a, s, (size_t)(sep - s));
    a[sep - s] = 0;
    uint32_t b;
    if (flashimg_parse_num(a, start) < 0 || flashimg_parse_num(sep + 1, &b))
        return -1;
    if (*sep == ':') {
        *len = b;
        return (uint64_t)*start + b > 0xFFFFFFFFull ? -1 : 0;
    }
    if (b < *start)
        return -1;
    *len = b - *start;
    return 0;
}

static const struct {
    const char *name;
    uint32_t type;
} parts[] = {
    { "eaglerom", PTAB_EAGLEROM }, { "rf_cal", PTAB_RF_CAL },
    { "phy_data", PTAB_PHY_DATA }, { "irom0text", PTAB_IROM0TEXT },
    { "lfs0", PTAB_LFS0 }, { "lfs1", PTAB_LFS1 },
    { "tlscert", PTAB_TLSCERT }, { "spiffs0", PTAB_SPIFFS0 },
    { "spiffs1", PTAB_SPIFFS1 },
    { "system_parameter", PTAB_SYSTEM_PARAMETER },
};

/* Where PART lies in the image: [*start, *start + *len). */
static int locate(const flash_map_t *f, const char *part,
                  uint32_t *start, uint32_t *len, lfs_diag_t *d)
{
    if (strcmp(part, "lfs") == 0) {
        const ptab_item_t *lp = flash_map_part(f, PTAB_LFS0);
        if (!lp)
            return lfs_fail(d, -1, LFS_EFORMAT, "no LFS0 partition in the"
                            " partition table");
        *start = lp->addr;
        size_t av = lp->addr < f->len ? f->len - lp->addr : 0;
        return flashimg_lfs_extent(f->p + lp->addr, av, lp->size, len, d);
    }
    if (strcmp(part, "spiffs") == 0) {
        const ptab_item_t *sp = flash_map_part(f, PTAB_SPIFFS0);
        uint32_t fa, fs;
        if (!sp)
            return lfs_fail(d, -1, LFS_EFORMAT, "no SPIFFS0 partition in the"
                            " partition table");
        if (spiffs_fw_region(sp->addr, sp->size, &fa, &fs) < 0)
            return lfs_fail(d, -1, LFS_EFORMAT, "SPIFFS0 0x%x+0x%x is too"
                            " small for a file system", sp->addr, sp->size);
        size_t av = fa < f->len ? f->len - fa : 0;
        if (flashimg_spiffs_extent(f->p + fa, av, fs, len, d))
            return d->code;
        if (*len == 0)
            return lfs_fail(d, -1, LFS_EFORMAT, "the SPIFFS partition is"
                            " empty (erased); extract its raw bytes with"
                            " spiffs0 or an address range");
        *start = fa;
        return 0;
    }
    if (strcmp(part, "firmware") == 0) {
        *start = 0;
        *len = f->fw_end;
        return 0;
    }
    if (strcmp(part, "firmware0") == 0) {
        *start = 0;
        *len = f->hdr.image_len;
        return 0;
    }
    if (strcmp(part, "firmware10") == 0) {
        *start = PTAB_RCR_ADDR;
        *len = f->fw_end - PTAB_RCR_ADDR;
        return 0;
    }
    if (strcmp(part, "rcr") == 0) {
        *start = PTAB_RCR_ADDR;
        *len = PTAB_PAGE_SIZE;
        return 0;
    }
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strcasecmp(part, parts[i].name) == 0) {
            const ptab_item_t *it = flash_map_part(f, parts[i].type);
            if (!it)
                return lfs_fail(d, -1, LFS_EFORMAT, "no %s partition in the"
                                " partition table", parts[i].name);
            *start = it->addr;
            *len = it->size;
            return 0;
        }
    if (parse_range(part, start, len) == 0)
        return 0;
    return lfs_fail(d, -1, LFS_EUSAGE, "%s: PART is lfs, spiffs, firmware,"
                    " firmware0, firmware10, rcr, a partition name (lfs0,"
                    " spiffs0, system_parameter, ...) or a range START:SIZE"
                    " or START-END", part);
}

int flashimg_cmd_extract(int argc, char **argv)
{
    const char *out = NULL, *fsz = NULL;
    const lfs_cli_opt_t opt[] = {
        { "--output", "-o", &out, NULL, 0 },
        { "--flash-size", NULL, &fsz, NULL, 0 },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "extract",
        .opt = opt, .nopt = sizeof opt / sizeof opt[0],
        .max = 2, .excess = "extract takes FLASH and PART",
    };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    if (a.narg < 2 || !out)
        return flashimg_usage("extract needs FLASH, PART and -o FILE");
    const char *path = a.arg[0], *part = a.arg[1];
    uint32_t flash_size;
    uint8_t *data;
    size_t n;
    if (flashimg_check_output(out, path))
        return FLASHIMG_BAD_INPUT;
    if ((rc = flashimg_read_flash(path, fsz, &flash_size, &data, &n)) != 0)
        return rc;
    flash_map_t f;
    lfs_diag_t d;
    uint32_t start = 0, len = 0;
    lfs_diag_init(&d, path);
    if (flash_map_open(&f, data, n, flash_size, &d) ||
        locate(&f, part, &start, &len, &d))
        rc = flashimg_report(&d);
    else if ((uint64_t)start + len > n)
        rc = flashimg_err(path, "%s is 0x%x+0x%x, ending at 0x%llx, beyond"
                          " the 0x%zx bytes of the image; read more of the"
                          " flash", part, start, len,
                          (unsigned long long)start + len, n);
    if (!rc) {
        lfs_diag_init(&d, out);
        if (lfs_file_write(out, data + start, len, &d))
            rc = flashimg_report(&d);
    }
    free(data);
    return rc;
}
