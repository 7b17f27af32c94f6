/*
** plat_esp8266.c: the platform layer on the target (plat.h), the twin of
** plat_host.c: the ESP8266 (xtensa lx106) as QEMU's sim machine shows it.
** A ref is the pointer (plat.h). The flash's first MiB is the window at
** 0x40200000, read here with 32-bit loads only, as the chip's cache
** allows; flash beyond it is backed by QEMU's sysram at FLASH_BACKING
** (on the chip the ROM's SPIRead/SPIWrite would reach it). QEMU's window
** is RAM, so erase and write are emulated on it with NOR rules (erase sets
** 0xFF, write ANDs), word by word as the window allows: the byte-wise
** copy of the rule the host uses (spiffs_nor_prog) is out of this
** folder's reach (tests/repo/layers.sh). Nothing catches a stray store
** to flash here, only the host mapping does. The heap arena is [PLAT_DRAM_END -
** size, PLAT_DRAM_END) of data RAM, above .bss (link.ld).
**
** Differences from the host: flash is not erased by plat_init, because
** QEMU's loader device has placed the images in it (unwritten flash reads
** 0 under QEMU, which the loader treats as "no image").
** Spec: docs/flash-layout.md §0 (NOR semantics), §1. Twin: plat_host.c; the
** shared part is plat_dev.c (plat_port.h). May call: plat_dev, libc.
*/
#include "firmware/plat/plat_port.h"

#include <string.h>

#define FLASH_BACKING 0x60000000u  /* QEMU sim sysram: flash past 1 MiB */

extern char __dram_used_end[];     /* link.ld: end of .bss */

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
    uint32_t fs, hs;
    if (plat_dev_up())
        return PLAT_EBUSY;
    if (plat_dev_config(cfg, &fs, &hs))
        return PLAT_EINVAL;
    /* The arena must not reach down into .data/.bss. */
    if (PLAT_DRAM_END - hs < (uint32_t)(uintptr_t)__dram_used_end)
        return PLAT_ENOMEM;
    plat_dev_start(fs, hs);
    memset((void *)(uintptr_t)(PLAT_DRAM_END - hs), 0, hs);
    return 0;
}

void plat_deinit(void)
{
    plat_dev_stop();
}

/* ---- flash ------------------------------------------------------------- */

int plat_flash_read(uint32_t addr, void *buf, uint32_t n)
{
    uint8_t *d = buf;
    if (!plat_dev_in_flash(addr, n))
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

int plat_port_erase(uint32_t addr)
{
    for (uint32_t i = 0; i < PLAT_SECTOR_SIZE; i += 4)
        *flash_word(addr + i) = 0xFFFFFFFFu;
    return 0;
}

int plat_port_write(uint32_t addr, const uint8_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t w = (uint32_t)s[i] | (uint32_t)s[i + 1] << 8 |
                     (uint32_t)s[i + 2] << 16 | (uint32_t)s[i + 3] << 24;
        *flash_word(addr + i) &= w;
    }
    return 0;
}
