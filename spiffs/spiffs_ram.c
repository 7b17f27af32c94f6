/*
** spiffs_ram.c: a spiffs_config_t backend over a caller's RAM buffer, as
** a plain buffer (prog copies), as NOR flash (prog ANDs: bits can only be
** cleared) or as strict NOR (a prog that would set a bit fails, which
** proves the library never relies on it).
** Spec: spiffs.md §0 (erased flash reads 0xFF, writes AND). Twin: none.
** May call: libc.
*/
#include "spiffs/spiffs.h"

#include <string.h>

static int ram_read(void *ctx, uint32_t addr, void *buf, uint32_t size)
{
    spiffs_ram_t *r = ctx;
    if (addr > r->size || size > r->size - addr)
        return SPIFFS_EIO;
    memcpy(buf, r->buf + addr, size);
    return 0;
}

static int ram_prog(void *ctx, uint32_t addr, const void *buf,
                    uint32_t size)
{
    spiffs_ram_t *r = ctx;
    const uint8_t *src = buf;
    uint8_t *dst = r->buf + addr;
    if (addr > r->size || size > r->size - addr)
        return SPIFFS_EIO;
    r->progs++;
    if (r->mode == SPIFFS_RAM_COPY) {
        memcpy(dst, src, size);
        return 0;
    }
    if (r->mode == SPIFFS_RAM_STRICT)
        for (uint32_t i = 0; i < size; i++)
            if ((dst[i] & src[i]) != src[i])
                return SPIFFS_ENOTNOR;
    for (uint32_t i = 0; i < size; i++)
        dst[i] &= src[i];
    return 0;
}

static int ram_erase(void *ctx, uint32_t addr, uint32_t size)
{
    spiffs_ram_t *r = ctx;
    if (addr > r->size || size > r->size - addr ||
        addr % SPIFFS_SECTOR_SIZE != 0 || size % SPIFFS_SECTOR_SIZE != 0)
        return SPIFFS_EIO;
    r->erases++;
    memset(r->buf + addr, 0xFF, size);
    return 0;
}

void spiffs_ram_config(spiffs_ram_t *ram, uint8_t *buf, uint32_t size,
                       int mode, uint32_t block_size, spiffs_config_t *cfg)
{
    memset(ram, 0, sizeof *ram);
    ram->buf = buf;
    ram->size = size;
    ram->mode = mode;
    memset(cfg, 0, sizeof *cfg);
    cfg->context = ram;
    cfg->read = ram_read;
    cfg->prog = ram_prog;
    cfg->erase = ram_erase;
    cfg->fs_size = size;
    cfg->block_size = block_size;
}
