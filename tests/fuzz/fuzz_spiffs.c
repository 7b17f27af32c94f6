/*
** tests/fuzz/fuzz_spiffs.c: libFuzzer target for the SPIFFS library on
** hostile images, seeded with NodeMCU's spiffsimg images. The input,
** padded with 0xFF to whole 4 KiB sectors (16 KiB at least), is probed,
** mounted with the detected block size and with both fixed ones, listed,
** every file read (whole and at an offset), checked by fsck; then, on
** strict NOR flash, changed (repair mount, write, append, rename, remove)
** and read and checked again. Nothing may crash, hang or overrun.
** Spec: docs/spiffs.md §1. Twin: none. May call: the SPIFFS library, libc.
*/
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
/* Seed files for tools/run-fuzz.sh, relative to the vectors folder:
# seeds: spiffs/*.img
*/
#pragma GCC diagnostic pop

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spiffs/spiffs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t rbuf[300];

static int read_all(void *ctx, const spiffs_stat_t *st)
{
    spiffs_t *fs = ctx;
    uint8_t *b = malloc(4096);
    if (!b)
        abort();
    long n = spiffs_read(fs, st->name, 0, b, 4096);
    if (n > 4096)
        abort();
    n = spiffs_read(fs, st->name, st->size > 300 ? st->size - 300 : 0,
                    rbuf, sizeof rbuf);
    if (n > 300)
        abort();
    free(b);
    return 0;
}

static void exercise(uint8_t *img, uint32_t len, uint32_t bs)
{
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
    uint32_t sz;
    spiffs_ram_config(&ram, img, len, SPIFFS_RAM_COPY, bs, &cfg);
    if (bs)
        spiffs_probe(&cfg, bs, &sz);
    if (spiffs_mount_force(&fs, &cfg) != 0)
        return;
    spiffs_list(&fs, read_all, &fs);
    if (spiffs_fsck(&fs, NULL, NULL) < 0)
        abort();
    /* change it on strict NOR flash: refusals are fine, crashes not */
    ram.mode = SPIFFS_RAM_STRICT;
    if (spiffs_mount(&fs, &cfg, SPIFFS_MOUNT_REPAIR) != 0)
        return;
    spiffs_write_file(&fs, "fuzz.txt", "abcdefghij", 10);
    spiffs_append(&fs, "init.lua", rbuf, sizeof rbuf);
    spiffs_rename(&fs, "one.bin", "two.bin");
    spiffs_remove(&fs, "config.json");
    spiffs_list(&fs, read_all, &fs);
    if (spiffs_fsck(&fs, NULL, NULL) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > SPIFFS_MAX_FS_SIZE)
        return 0;
    uint32_t len = (uint32_t)((size + 4095) / 4096 * 4096);
    if (len < SPIFFS_MIN_FS_SIZE)
        len = SPIFFS_MIN_FS_SIZE;
    uint8_t *img = malloc(len);
    if (!img)
        return 0;
    static const uint32_t sizes[3] = { 0, 4096, 8192 };
    for (int i = 0; i < 3; i++) {
        uint32_t bs = sizes[i];
        memset(img, 0xFF, len);
        memcpy(img, data, size);
        if (bs == 0) {
            spiffs_ram_t ram;
            spiffs_config_t cfg;
            spiffs_ram_config(&ram, img, len, SPIFFS_RAM_COPY, 0, &cfg);
            if (spiffs_detect_block_size(&cfg, &bs) != 0)
                continue;
        }
        if (len % bs == 0)
            exercise(img, len, bs);
    }
    free(img);
    return 0;
}
