/*
** flashimg_partition.c: `flashimg partition`: what NodeMCU's
** tools/nodemcu-partition.py does to a device, done to a flash image file
** (a dump read with esptool, or a composed image): change the LFS and
** SPIFFS partitions, write the table back into the RCR page, and write an
** LFS image (relocated) and a SPIFFS image into their partitions. Takes
** the tool's options (-fs -la -ls -lf -sa -ss -sf, and the long forms),
** with its bugs fixed (tests/deviations/flashimg-*.md).
** Spec: docs/flash-layout.md §4 (the tool and its defects), §3, §5.
** Twin: none. May call: flashimg (profile, flash, layout, util), ptab,
** lfs_cli, lfs_file, lfs_diag, libc.
*/
#include "flashimg/flashimg_layout.h"
#include "flashimg/flashimg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"

/* esptool.py's device options: flashimg works on a file. */
static int refuse_device(const char *a)
{
    if (strcmp(a, "-p") == 0 || strcmp(a, "--port") == 0 ||
        strcmp(a, "-b") == 0 || strcmp(a, "--baud") == 0 ||
        strncmp(a, "--port=", 7) == 0 || strncmp(a, "--baud=", 7) == 0)
        return flashimg_usage("%s: flashimg partition works on a flash"
                              " image, not a device: esptool.py"
                              " read_flash 0 0x400000 flash.bin, then"
                              " flashimg partition flash.bin ..., then"
                              " esptool.py write_flash 0 flash.bin", a);
    return 0;
}

int flashimg_cmd_partition(int argc, char **argv)
{
    const char *out = NULL, *fsz = NULL, *profile = NULL;
    const char *lfs = NULL, *spiffs = NULL, *spiffs_dir = NULL;
    ptab_req_t req;
    ptab_req_init(&req);
    enum { TOOL = FLASHIMG_TAKE_TOOL, TOOL_ALL = TOOL | FLASHIMG_TAKE_ALL };
    lfs_cli_take_t *lay = flashimg_take_layout;
    const lfs_cli_opt_t opt[] = {
        { "--output", "-o", &out, NULL, 0 },
        { "--profile", NULL, &profile, NULL, 0 },
        { "--flash_size", "-fs", &fsz, NULL, 0 },
        { "--flash-size", NULL, &fsz, NULL, 0 },
        { "--lfs_file", "-lf", &lfs, NULL, 0 },
        { "--lfs", NULL, &lfs, NULL, 0 },
        { "--spiffs_file", "-sf", &spiffs, NULL, 0 },
        { "--spiffs", NULL, &spiffs, NULL, 0 },
        { "--spiffs-dir", NULL, &spiffs_dir, NULL, 0 },
        { "--lfs_addr", "-la", &req.lfs_addr, lay, TOOL },
        { "--lfs-addr", NULL, &req.lfs_addr, lay, TOOL },
        { "--lfs_size", "-ls", &req.lfs_size, lay, TOOL },
        { "--lfs-size", NULL, &req.lfs_size, lay, TOOL },
        { "--spiffs_addr", "-sa", &req.spiffs_addr, lay, TOOL },
        { "--spiffs-addr", NULL, &req.spiffs_addr, lay, TOOL },
        { "--spiffs_size", "-ss", &req.spiffs_size, lay, TOOL_ALL },
        { "--spiffs-size", NULL, &req.spiffs_size, lay, TOOL_ALL },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "partition",
        .opt = opt, .nopt = sizeof opt / sizeof opt[0],
        .min = 1, .max = 1,
        .needs = "partition needs a FLASH image (a dump, or flashimg"
                 " compose's output)",
        .excess = "partition takes one FLASH image",
        .unknown = refuse_device,
    };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    const char *path = a.arg[0];
    if (spiffs && spiffs_dir)
        return flashimg_usage("give -sf IMAGE or --spiffs-dir DIR, not"
                              " both");
    uint32_t flash_size = 0;
    if (flashimg_flash_size("-fs", fsz, FLASH_MAP_MIN_FLASH, &flash_size))
        return FLASHIMG_USAGE;
    /* in place (no -o, or -o FLASH) is the tool's way; another input
    ** named as the output is not */
    const char *dst = out ? out : path;
    if (flashimg_check_output(dst, lfs) ||
        flashimg_check_output(dst, spiffs) ||
        flashimg_check_output(dst, profile))
        return FLASHIMG_BAD_INPUT;
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
        job.out = dst;
        if (flashimg_layout(&job, &img, &report, &d))
            rc = flashimg_report(&d);
    }
    if (!rc) {
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
