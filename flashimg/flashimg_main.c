/*
** flashimg_main.c: the flashimg command: subcommands (compose, inspect,
** extract, partition, profile, ls, put, rm), their usage lines, --help,
** --version.
** Spec: docs/flash-layout.md §5; docs/architecture.md §5. Twin: none.
** May call: flashimg, lfs_cli, libc.
*/
#include "flashimg/flashimg.h"

#include <stdio.h>

#include "lfs/lfs_cli.h"

static const char help_text[] =
"Compose, inspect and take apart whole-flash images of a NodeMCU ESP8266\n"
"(release firmware, SDK 3): esptool header, partition table, LFS, SPIFFS.\n"
"\n"
"  compose    one flash image: the firmware, its partition table planned\n"
"             (first boot) and written back, the header's flash size set\n"
"             to the profile's, an LFS image relocated to its partition\n"
"             (or an absolute one checked against it), a SPIFFS image or\n"
"             a directory built at the partition's file-system start with\n"
"             the firmware's block size\n"
"  inspect    header bytes, partition table, LFS (modules, timestamp,\n"
"             verified) and SPIFFS files of an image or a device dump\n"
"  extract    PART: lfs, spiffs, firmware, firmware0, firmware10, rcr, a\n"
"             partition name (lfs0, spiffs0, ...) or START:SIZE/START-END\n"
"  partition  nodemcu-partition.py on an image file: -la/-ls/-sa/-ss\n"
"             change the table, -lf/-sf write LFS and SPIFFS; in place\n"
"             unless -o\n"
"  profile    print a device profile (the built-in one: a template)\n"
"  ls         the files in the image's SPIFFS: name, size\n"
"  put        store host files (a directory: every file under it) in the\n"
"             image's SPIFFS under their paths relative to -C DIR,\n"
"             replacing files of the same name; formats an erased\n"
"             partition first; in place\n"
"  rm         remove files from the image's SPIFFS; in place\n"
"\n"
"Numbers: 262144, 0x40000, 256K, 4M. Layout: options, then a profile\n"
"file's keys, then the firmware's own table. Exit status: 0 ok, 1 bad\n"
"input (one line on stderr), 2 bad usage. See flashimg(1).\n";

static int cmd_profile(int argc, char **argv)
{
    if (argc > 3)
        return flashimg_usage("profile takes at most one NAME or FILE");
    flashimg_profile_t p;
    lfs_diag_t d;
    const char *arg = argc == 3 ? argv[2] : "esp8266";
    lfs_diag_init(&d, arg);
    if (flashimg_profile_load(arg, &p, &d))
        return flashimg_report(&d);
    lfs_buf_t out;
    lfs_buf_init(&out);
    flashimg_profile_write(&p, &out);
    fwrite(out.data, 1, out.len, stdout);
    lfs_buf_free(&out);
    return 0;
}

int main(int argc, char **argv)
{
    static const lfs_cli_cmd_t cmds[] = {
        { "compose", "compose -o FLASH.bin [--profile esp8266|FILE]\n"
          "[--flash-size SIZE] [--flash-mode MODE] [--flash-freq F]\n"
          "(--firmware FW.bin | --firmware0 0x00000.bin\n"
          " --firmware10 0x10000.bin | --stand-in)\n"
          "[--lfs IMAGE] [--lfs-addr ADDR] [--lfs-size SIZE]\n"
          "[--spiffs IMAGE | --spiffs-dir DIR] [--spiffs-addr ADDR]\n"
          "[--spiffs-size SIZE|all] [--trim]", flashimg_cmd_compose },
        { "inspect", "inspect [--flash-size SIZE] FLASH.bin",
          flashimg_cmd_inspect },
        { "extract", "extract [--flash-size SIZE] FLASH.bin PART -o FILE",
          flashimg_cmd_extract },
        { "partition", "partition FLASH.bin [-o OUT] [-fs SIZE] [-la ADDR]\n"
          "[-ls SIZE] [-lf LFS.img] [-sa ADDR] [-ss SIZE|-1]\n"
          "[-sf SPIFFS.img | --spiffs-dir DIR] [--profile P]",
          flashimg_cmd_partition },
        { "profile", "profile [esp8266|FILE]", cmd_profile },
        { "ls", "ls [--flash-size SIZE] FLASH.bin", flashimg_cmd_ls },
        { "put", "put [--flash-size SIZE] [-C DIR] FLASH.bin PATH...",
          flashimg_cmd_put },
        { "rm", "rm [--flash-size SIZE] FLASH.bin NAME...",
          flashimg_cmd_rm },
    };
    static const lfs_cli_t cli = {
        .prog = FLASHIMG_PROG,
        .version = FLASHIMG_VERSION " (NodeMCU release layout, SDK 3;"
                   " esptool v1 images)",
        .help = help_text,
        .cmd = cmds,
        .ncmd = sizeof cmds / sizeof cmds[0],
        .cmd_help = 1,
    };
    return lfs_cli_main(&cli, argc, argv);
}
