/*
** flashimg_main.c: the flashimg command: subcommands (compose, inspect,
** extract, partition, profile), --help, --version, exit codes.
** Spec: flash-layout.md §5; design.md "Devices". Twin: none.
** May call: flashimg, libc.
*/
#include "flashimg/flashimg.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
"usage: flashimg compose -o FLASH.bin [--profile esp8266|FILE]\n"
"                [--flash-size SIZE] [--flash-mode MODE] [--flash-freq F]\n"
"                (--firmware FW.bin | --firmware0 0x00000.bin\n"
"                 --firmware10 0x10000.bin | --stand-in)\n"
"                [--lfs IMAGE] [--lfs-addr ADDR] [--lfs-size SIZE]\n"
"                [--spiffs IMAGE | --spiffs-dir DIR] [--spiffs-addr ADDR]\n"
"                [--spiffs-size SIZE|all] [--trim]\n"
"       flashimg inspect [--flash-size SIZE] FLASH.bin\n"
"       flashimg extract [--flash-size SIZE] FLASH.bin PART -o FILE\n"
"       flashimg partition FLASH.bin [-o OUT] [-fs SIZE] [-la ADDR]\n"
"                [-ls SIZE] [-lf LFS.img] [-sa ADDR] [-ss SIZE|-1]\n"
"                [-sf SPIFFS.img | --spiffs-dir DIR] [--profile P]\n"
"       flashimg profile [esp8266|FILE]\n"
"       flashimg --help | --version\n";

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
"\n"
"Numbers: 262144, 0x40000, 256K, 4M. Layout: options, then a profile\n"
"file's keys, then the firmware's own table. Exit status: 0 ok, 1 bad\n"
"input (one line on stderr), 2 bad usage. See flashimg(1).\n";

int flashimg_cmd_profile(int argc, char **argv)
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
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        { "compose", flashimg_cmd_compose },
        { "inspect", flashimg_cmd_inspect },
        { "extract", flashimg_cmd_extract },
        { "partition", flashimg_cmd_partition },
        { "profile", flashimg_cmd_profile },
    };
    if (argc < 2) {
        fputs(usage_text, stderr);
        return FLASHIMG_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, stdout);
        fputs("\n", stdout);
        fputs(help_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("flashimg %s (NodeMCU release layout, SDK 3; esptool v1"
               " images)\n", FLASHIMG_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0) {
            for (int j = 2; j < argc; j++)
                if (strcmp(argv[j], "--help") == 0) {
                    fputs(usage_text, stdout);
                    return 0;
                }
            return cmds[i].fn(argc, argv);
        }
    return flashimg_usage("%s: unknown command", argv[1]);
}
