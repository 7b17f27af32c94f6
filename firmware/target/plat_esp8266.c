/*
** plat_esp8266.c: the platform layer on the target (plat.h), the twin of
** plat_host.c: the ESP8266 (xtensa lx106) as QEMU's sim machine shows it.
** A ref is the pointer (plat.h). The flash's first MiB is the window at
** 0x40200000, read here with 32-bit loads only, as the chip's cache
** allows; flash beyond it is backed by QEMU's sysram at FLASH_BACKING
** (on the chip the ROM's SPIRead/SPIWrite would reach it). QEMU's window
** is RAM, so erase and write are emulated on it with NOR rules (erase sets
** 0xFF, write ANDs); nothing catches a stray store to flash here, only the
** host mapping does. The heap arena is [PLAT_DRAM_END - size,
** PLAT_DRAM_END) of data RAM, above .bss (link.ld).
**
** Differences from the host: flash is not erased by plat_init, because
** QEMU's loader device has placed the images in it (unwritten flash reads
** 0 under QEMU, which the loader treats as "no image").
** Spec: flash-layout.md §0 (NOR semantics), §1. Twin: plat_host.c.
** May call: libc.
*/
#include "firmware/plat.h"

#include <string.h>

#define FLASH_BACKING 0x60000000u  /* QEMU sim sysram: flash past 1 MiB */

extern char __dram_used_end[];     /* link.ld: end of .bss */

const plat_profile_t plat_profile_esp8266 = {
    .name = "esp8266",
    .flash_size = PLAT_FLASH_DEFAULT,
    .heap_size = PLAT_HEAP_DEFAULT,
    .lfs_addr = 0x80000u,
    .lfs_size = 0x40000u,
    .dialect = 51,
    .integral = 0,
};

/* The one device. */
static struct {
    int up;
    uint32_t flash_size;
    uint32_t heap_size;
    int32_t budget;         /* operations left before the cut; < 0: none */
    plat_flash_stats_t st;
} dev;

static uint32_t mapped_len(void)
{
    return dev.flash_size < PLAT_FLASH_MAP_SIZE ? dev.flash_size
                                                : PLAT_FLASH_MAP_SIZE;
}

/* The word holding flash offset off (4-aligned): in the window or in the
** backing store. */
static volatile uint32_t *flash_word(uint32_t off)
{
    uint32_t a = off < PLAT_FLASH_MAP_SIZE ? PLAT_FLASH_MAPPED + off
                                           : FLASH_BACKING + off;
    return (volatile uint32_t *)(uintptr_t)a;
}

int plat_init(const plat_config_t *cfg)
{
    static const plat_config_t none;
    if (dev.up)
        return PLAT_EBUSY;
    if (!cfg)
        cfg = &none;
    uint32_t fs = cfg->flash_size ? cfg->flash_size : PLAT_FLASH_DEFAULT;
    uint32_t hs = cfg->heap_size ? cfg->heap_size : PLAT_HEAP_DEFAULT;
    if (fs % PLAT_SECTOR_SIZE || fs > PLAT_FLASH_MAX ||
        hs % PLAT_HEAP_ALIGN || hs < PLAT_HEAP_MIN || hs > PLAT_DRAM_SIZE)
        return PLAT_EINVAL;
    /* The arena must not reach down into .data/.bss. */
    if (PLAT_DRAM_END - hs < (uint32_t)(uintptr_t)__dram_used_end)
        return PLAT_ENOMEM;
    memset(&dev, 0, sizeof dev);
    dev.up = 1;
    dev.flash_size = fs;
    dev.heap_size = hs;
    dev.budget = -1;
    memset((void *)(uintptr_t)(PLAT_DRAM_END - hs), 0, hs);
    return 0;
}

void plat_deinit(void)
{
    memset(&dev, 0, sizeof dev);
}

/* ---- flash ------------------------------------------------------------- */

uint32_t plat_flash_size(void)
{
    return dev.flash_size;
}

plat_ref_t plat_flash_mapped_end(void)
{
    return PLAT_FLASH_MAPPED + mapped_len();
}

int plat_is_flash(plat_ref_t ref)
{
    return ref >= PLAT_FLASH_MAPPED && ref < plat_flash_mapped_end();
}

static int in_flash(uint32_t addr, uint32_t n)
{
    return dev.up && addr <= dev.flash_size && n <= dev.flash_size - addr;
}

int plat_flash_read(uint32_t addr, void *buf, uint32_t n)
{
    uint8_t *d = buf;
    if (!in_flash(addr, n))
        return PLAT_EINVAL;
    /* Whole words only: the chip cannot load bytes from the window. */
    while (n > 0) {
        uint32_t w = *flash_word(addr & ~3u);
        uint32_t skip = addr & 3u, take = 4 - skip;
        if (take > n)
            take = n;
        for (uint32_t i = 0; i < take; i++)
            d[i] = (uint8_t)(w >> (8 * (skip + i)));
        d += take;
        addr += take;
        n -= take;
    }
    return 0;
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
    uint32_t addr = sector * PLAT_SECTOR_SIZE;
    if (!dev.up || sector >= dev.flash_size / PLAT_SECTOR_SIZE)
        return PLAT_EINVAL;
    if (!powered())
        return PLAT_EPOWER;
    for (uint32_t i = 0; i < PLAT_SECTOR_SIZE; i += 4)
        *flash_word(addr + i) = 0xFFFFFFFFu;
    dev.st.erases++;
    return 0;
}

int plat_flash_write(uint32_t addr, const void *data, uint32_t n)
{
    const uint8_t *s = data;
    if (!in_flash(addr, n) || addr % PLAT_WRITE_ALIGN ||
        n % PLAT_WRITE_ALIGN)
        return PLAT_EINVAL;
    if (n == 0)
        return 0;
    if (!powered())
        return PLAT_EPOWER;
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t w = (uint32_t)s[i] | (uint32_t)s[i + 1] << 8 |
                     (uint32_t)s[i + 2] << 16 | (uint32_t)s[i + 3] << 24;
        *flash_word(addr + i) &= w;
    }
    dev.st.writes++;
    dev.st.bytes += n;
    return 0;
}

int plat_flash_program(uint32_t addr, const void *data, uint32_t n)
{
    const uint8_t *s = data;
    uint32_t whole = n - n % PLAT_WRITE_ALIGN;
    uint8_t tail[PLAT_WRITE_ALIGN];
    int r;
    if (!in_flash(addr, n) || addr % PLAT_SECTOR_SIZE)
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
