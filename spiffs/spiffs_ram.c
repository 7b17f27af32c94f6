/*
** spiffs_ram.c: NOR flash's rule on bytes in RAM (programs AND, erases
** set 0xFF), for every flash emulated in RAM, and the spiffs_config_t
** backend over a caller's RAM buffer built on it: a plain buffer (prog
** copies), NOR flash (prog ANDs: bits can only be cleared), strict NOR
** (a prog that would set a bit fails, which proves the library never
** relies on it) or a read-only view of a dump that may end early; and a
** power-cut budget that stops every write after the n-th (the power-cut
** tests).
** Spec: docs/spiffs.md §0 (erased flash reads 0xFF, writes AND). Twin: none
** (plat_host.c and sim_dev_host.c call it for their flash).
** May call: libc.
*/
#include "spiffs/spiffs.h"

#include <string.h>

/* ---- the rule ------------------------------------------------------ */

uint32_t spiffs_nor_sets(const uint8_t *old, const uint8_t *data,
                         uint32_t n)
{
    uint32_t i = 0;
    while (i < n && (old[i] & data[i]) == data[i])
        i++;
    return i;
}

void spiffs_nor_prog(uint8_t *dst, const uint8_t *data, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] &= data[i];
}

void spiffs_nor_erase(uint8_t *dst, uint32_t n)
{
    memset(dst, 0xFF, n);
}

/* ---- the backend --------------------------------------------------- */

static int in_range(const spiffs_ram_t *r, uint32_t addr, uint32_t size)
{
    return addr <= r->size && size <= r->size - addr;
}

/* Count one program or erase against the power-cut budget. */
static int powered(spiffs_ram_t *r)
{
    if (r->budget == 0) {
        r->cut++;
        return 0;
    }
    if (r->budget > 0)
        r->budget--;
    return 1;
}

int spiffs_ram_read(void *ram, uint32_t addr, void *buf, uint32_t size)
{
    const spiffs_ram_t *r = ram;
    uint8_t *b = buf;
    if (!in_range(r, addr, size))
        return SPIFFS_EIO;
    uint32_t have = addr < r->len ? r->len - addr : 0;
    if (have > size)
        have = size;
    memcpy(b, r->buf + addr, have);
    spiffs_nor_erase(b + have, size - have);
    return 0;
}

int spiffs_ram_prog(void *ram, uint32_t addr, const void *buf,
                    uint32_t size)
{
    spiffs_ram_t *r = ram;
    if (!in_range(r, addr, size) || r->mode == SPIFFS_RAM_RDONLY ||
        !powered(r))
        return SPIFFS_EIO;
    uint8_t *dst = r->buf + addr;
    r->progs++;
    if (r->mode == SPIFFS_RAM_COPY) {
        memcpy(dst, buf, size);
        return 0;
    }
    if (r->mode == SPIFFS_RAM_STRICT && spiffs_nor_sets(dst, buf, size) <
                                        size)
        return SPIFFS_ENOTNOR;
    spiffs_nor_prog(dst, buf, size);
    return 0;
}

int spiffs_ram_erase(void *ram, uint32_t addr, uint32_t size)
{
    spiffs_ram_t *r = ram;
    if (!in_range(r, addr, size) || r->mode == SPIFFS_RAM_RDONLY ||
        addr % SPIFFS_SECTOR_SIZE != 0 || size % SPIFFS_SECTOR_SIZE != 0 ||
        !powered(r))
        return SPIFFS_EIO;
    r->erases++;
    spiffs_nor_erase(r->buf + addr, size);
    return 0;
}

void spiffs_ram_config(spiffs_ram_t *ram, uint8_t *buf, uint32_t size,
                       int mode, uint32_t block_size, spiffs_config_t *cfg)
{
    *ram = (spiffs_ram_t){ .buf = buf, .size = size, .len = size,
                           .mode = mode, .budget = -1 };
    *cfg = (spiffs_config_t){ .context = ram, .read = spiffs_ram_read,
                              .prog = spiffs_ram_prog,
                              .erase = spiffs_ram_erase, .fs_size = size,
                              .block_size = block_size };
}

void spiffs_ram_config_ro(spiffs_ram_t *ram, const uint8_t *buf,
                          size_t len, uint32_t size, uint32_t block_size,
                          spiffs_config_t *cfg)
{
    /* RDONLY never writes through buf */
    spiffs_ram_config(ram, (uint8_t *)(uintptr_t)buf, size,
                      SPIFFS_RAM_RDONLY, block_size, cfg);
    ram->len = len < size ? (uint32_t)len : size;
}
