/*
** flashimg_partition.c: `flashimg partition`: what NodeMCU's
** tools/nodemcu-partition.py does to a device, done to a flash image file
** (a dump read with esptool, or a composed image): change the LFS and
** SPIFFS partitions, write the table back into the RCR page, and write an
** LFS image (relocated) and a SPIFFS image into their partitions. Takes
** the tool's options (-fs -la -ls -lf -sa -ss -sf, and the long forms),
** with its bugs fixed (tests/deviations/flashimg-*.md).
** Spec: flash-layout.md §4 (the tool and its defects), §3, §5.
** Twin: none. May call: flashimg (profile, flash, layout), ptab, lfs_file,
** lfs_diag, libc.
*/
#include "flashimg/flashimg_layout.h"
#include "flashimg/flashimg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"

static int layout_opt(const char *opt, const char *v, int all_ok,
                      uint32_t *out)
{
    if (all_ok && (strcmp(v, "-1") == 0 || strcmp(v, "all") == 0)) {
        *out = PTAB_ALL;
        return 0;
    }
    if (flashimg_parse_num(v, out) < 0)
        return flashimg_usage("%s %s: not a number (0x80000, 512K, 1M%s)",
                              opt, v, all_ok ? ", -1" : "");
    if (*out % PTAB_SECTOR)
        return flashimg_usage("%s %s: not a multiple of 4 KiB (0x1000);"
                              " NodeMCU would stop with \"Partition N"
                              " invalid alignment\"", opt, v);
    return 0;
}

int flashimg_cmd_partition(int argc, char **argv)
{
    const char *path = NULL, *out = NULL, *fsz = NULL, *profile = NULL;
    const char *lfs = NULL, *spiffs = NULL, *spiffs_dir = NULL, *v;
    ptab_req_t req;
    ptab_req_init(&req);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (strcmp(a, "-p") == 0 || strcmp(a, "--port") == 0 ||
            strcmp(a, "-b") == 0 || strcmp(a, "--baud") == 0 ||
            strncmp(a, "--port=", 7) == 0 || strncmp(a, "--baud=", 7) == 0)
            return flashimg_usage("%s: flashimg partition works on a flash"
                                  " image, not a device: esptool.py"
                                  " read_flash 0 0x400000 flash.bin, then"
                                  " flashimg partition flash.bin ..., then"
                                  " esptool.py write_flash 0 flash.bin", a);
#define OPT(name, alias, dst) \
        if ((r = flashimg_opt(argc, argv, &i, name, alias, &v)) != 0) { \
            if (r < 0) \
                return FLASHIMG_USAGE; \
            dst = v; \
            continue; \
        }
#define LAYOUT(name, alias, dst, all_ok) \
        if ((r = flashimg_opt(argc, argv, &i, name, alias, &v)) != 0) { \
            if (r < 0 || layout_opt(a, v, all_ok, &dst)) \
                return FLASHIMG_USAGE; \
            continue; \
        }
        OPT("--output", "-o", out)
        OPT("--profile", NULL, profile)
        OPT("--flash_size", "-fs", fsz)
        OPT("--flash-size", NULL, fsz)
        OPT("--lfs_file", "-lf", lfs)
        OPT("--lfs", NULL, lfs)
        OPT("--spiffs_file", "-sf", spiffs)
        OPT("--spiffs", NULL, spiffs)
        OPT("--spiffs-dir", NULL, spiffs_dir)
        LAYOUT("--lfs_addr", "-la", req.lfs_addr, 0)
        LAYOUT("--lfs-addr", NULL, req.lfs_addr, 0)
        LAYOUT("--lfs_size", "-ls", req.lfs_size, 0)
        LAYOUT("--lfs-size", NULL, req.lfs_size, 0)
        LAYOUT("--spiffs_addr", "-sa", req.spiffs_addr, 0)
        LAYOUT("--spiffs-addr", NULL, req.spiffs_addr, 0)
        LAYOUT("--spiffs_size", "-ss", req.spiffs_size, 1)
        LAYOUT("--spiffs-size", NULL, req.spiffs_size, 1)
#undef OPT
#undef LAYOUT
        if (a[0] == '-' && a[1])
            return flashimg_usage("%s: unknown option for partition", a);
        if (path)
            return flashimg_usage("partition takes one FLASH image");
        path = a;
    }
    if (!path)
        return flashimg_usage("partition needs a FLASH image (a dump, or"
                              " flashimg compose's output)");
    if (spiffs && spiffs_dir)
        return flashimg_usage("give -sf IMAGE or --spiffs-dir DIR, not"
                              " both");
    uint32_t flash_size = 0;
    if (fsz && (flashimg_parse_num(fsz, &flash_size) < 0 ||
                esphdr_code_for_size(flash_size) < 0))
        return flashimg_usage("-fs %s: give 1M, 2M, 4M, 8M or 16M", fsz);
    if (fsz && flash_size < FLASH_MAP_MIN_FLASH)
        return flashimg_usage("-fs %s: NodeMCU needs at least 1 MiB of"
                              " flash", fsz);
    flashimg_profile_t prof;
    lfs_diag_t d;
    lfs_diag_init(&d, profile);
    if (flashimg_profile_load(profile ? profile : "esp8266", &prof, &d))
        return flashimg_report(&d);
    lfs_buf_t img, report;
    lfs_buf_init(&img);
    lfs_buf_init(&report);
    size_t n;
    if (flashimg_read_file(path, FLASHIMG_MAX_INPUT, &img.data, &n))
        return FLASHIMG_BAD_INPUT;
    img.len = img.cap = n;
    flash_map_t f;
    int rc = 0;
    lfs_diag_init(&d, path);
    if (flash_map_open(&f, img.data, img.len, flash_size, &d)) {
        rc = flashimg_report(&d);
    } else {
        flashimg_job_t job;
        memset(&job, 0, sizeof job);
        job.prof = &prof;
        job.fw_name = path;
        job.flash_size = f.flash_size;
        job.mode = job.freq = ESPHDR_KEEP;
        job.set_size = fsz != NULL;
        job.req = req;
        job.lfs_file = lfs;
        job.spiffs_file = spiffs;
        job.spiffs_dir = spiffs_dir;
        if (flashimg_layout(&job, &img, &report, &d))
            rc = flashimg_report(&d);
    }
    if (!rc) {
        const char *dst = out ? out : path;
        lfs_diag_init(&d, dst);
        if (lfs_file_write(dst, img.data, img.len, &d))
            rc = flashimg_report(&d);
        else
            fwrite(report.data, 1, report.len,
                   strcmp(dst, "-") == 0 ? stderr : stdout);
    }
    lfs_buf_free(&img);
    lfs_buf_free(&report);
    return rc;
}
