/*
** plat_dev.c: the part of the platform layer (plat.h) every port shares
** (plat_port.h): the device profile, the configuration rules, the flash
** operations' argument checks, the power-cut budget (littlefs emubd's
** power_cycles) and counters, esptool's program, and the heap figures.
** The ports do the mapping and the raw erase and NOR write.
** Spec: docs/flash-layout.md §0, §1. Twins: none (plat_host.c and
** target/plat_esp8266.c are its ports). May call: plat_port, libc.
*/
#include "firmware/plat/plat_port.h"

#include <string.h>

const plat_profile_t plat_profile_esp8266 = {
    .name = "esp8266",
    .flash_size = PLAT_FLASH_DEFAULT,
    .heap_size = PLAT_HEAP_DEFAULT,
    .lfs_addr = 0x80000u,
    .lfs_size = 0x40000u,
    .dialect = 51,
    .integral = 0,
};

/* The one device of this process. */
static struct {
    int up;
    uint32_t flash_size;
    uint32_t heap_size;
    int32_t budget;         /* operations left before the cut; < 0: none */
    plat_flash_stats_t st;
} dev;

int plat_dev_config(const plat_config_t *cfg, uint32_t *flash,
                    uint32_t *heap)
{
    static const plat_config_t none;
    if (!cfg)
        cfg = &none;
    uint32_t fs = cfg->flash_size ? cfg->flash_size : PLAT_FLASH_DEFAULT;
    uint32_t hs = cfg->heap_size ? cfg->heap_size : PLAT_HEAP_DEFAULT;
    if (fs % PLAT_SECTOR_SIZE || fs > PLAT_FLASH_MAX ||
        hs % PLAT_HEAP_ALIGN || hs < PLAT_HEAP_MIN || hs > PLAT_DRAM_SIZE)
        return PLAT_EINVAL;
    *flash = fs;
    *heap = hs;
    return 0;
}

void plat_dev_start(uint32_t flash, uint32_t heap)
{
    memset(&dev, 0, sizeof dev);
    dev.up = 1;
    dev.flash_size = flash;
    dev.heap_size = heap;
    dev.budget = -1;
}

void plat_dev_stop(void)
{
    memset(&dev, 0, sizeof dev);
}

int plat_dev_up(void)
{
    return dev.up;
}

int plat_dev_in_flash(uint32_t addr, uint32_t n)
{
    return dev.up && addr <= dev.flash_size && n <= dev.flash_size - addr;
}

uint32_t plat_dev_mapped_len(void)
{
    return dev.flash_size < PLAT_FLASH_MAP_SIZE ? dev.flash_size
                                                : PLAT_FLASH_MAP_SIZE;
}

/* ---- flash ------------------------------------------------------------- */

uint32_t plat_flash_size(void)
{
    return dev.flash_size;
}

plat_ref_t plat_flash_mapped_end(void)
{
    return PLAT_FLASH_MAPPED + plat_dev_mapped_len();
}

int plat_is_flash(plat_ref_t ref)
{
    return ref >= PLAT_FLASH_MAPPED && ref < plat_flash_mapped_end();
}

/* Count one modifying operation against the power budget. */
static int powered(void)
{
    if (dev.budget == 0) {
        dev.st.cut++;
        return 0;
    }
    if (dev.budget > 0)
        dev.budget--;
    return 1;
}

int plat_flash_erase(uint32_t sector)
{
    if (!dev.up || sector >= dev.flash_size / PLAT_SECTOR_SIZE)
        return PLAT_EINVAL;
    if (!powered())
        return PLAT_EPOWER;
    int r = plat_port_erase(sector * PLAT_SECTOR_SIZE);
    if (r == 0)
        dev.st.erases++;
    return r;
}

int plat_flash_write(uint32_t addr, const void *data, uint32_t n)
{
    if (!plat_dev_in_flash(addr, n) || addr % PLAT_WRITE_ALIGN ||
        n % PLAT_WRITE_ALIGN)
        return PLAT_EINVAL;
    if (n == 0)
        return 0;
    if (!powered())
        return PLAT_EPOWER;
    int r = plat_port_write(addr, data, n);
    if (r == 0) {
        dev.st.writes++;
        dev.st.bytes += n;
    }
    return r;
}

int plat_flash_program(uint32_t addr, const void *data, uint32_t n)
{
    const uint8_t *s = data;
    uint32_t whole = n - n % PLAT_WRITE_ALIGN;
    uint8_t tail[PLAT_WRITE_ALIGN];
    int r;
    if (!plat_dev_in_flash(addr, n) || addr % PLAT_SECTOR_SIZE)
        return PLAT_EINVAL;
    for (uint32_t a = addr; a - addr < n; a += PLAT_SECTOR_SIZE)
        if ((r = plat_flash_erase(a / PLAT_SECTOR_SIZE)) < 0)
            return r;
    if ((r = plat_flash_write(addr, s, whole)) < 0 || whole == n)
        return r;
    /* The tail, padded with 0xFF; it lies in an erased sector. */
    memset(tail, 0xFF, sizeof tail);
    memcpy(tail, s + whole, n - whole);
    return plat_flash_write(addr + whole, tail, sizeof tail);
}

void plat_flash_stats(plat_flash_stats_t *st)
{
    *st = dev.st;
}

void plat_flash_power_cut_after(int32_t n)
{
    dev.budget = n < 0 ? -1 : n;
}

void plat_flash_power_on(void)
{
    dev.budget = -1;
}

/* ---- heap -------------------------------------------------------------- */

plat_ref_t plat_heap_base(void)
{
    return dev.up ? PLAT_DRAM_END - dev.heap_size : 0;
}

uint32_t plat_heap_size(void)
{
    return dev.heap_size;
}
