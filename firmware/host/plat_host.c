/*
** plat_host.c: the platform layer on a 64-bit host (plat.h). One 4 GiB
** window of address space is reserved with no access; target address a is
** window byte a. Inside it the flash is mapped read-only at 0x40200000
** (only its first MiB is readable, as the ESP8266's cache maps only that),
** the heap arena is mapped read/write at the end of dram0 and a host-only
** "rom" region read/write at 0x40000000 (plat.h). A store to
** flash or a load outside the two regions faults, as it would crash the
** chip. Flash changes only through plat_flash_erase/write, which make the
** affected pages writable for the change and restore them at once; the
** change is NOR flash's rule as the SPIFFS library applies it to every
** flash emulated in RAM (spiffs_nor_prog/erase, spiffs_ram.c); then the
** watcher (plat_flash_watch), if any, is told of the change.
** Spec: docs/flash-layout.md §0 (NOR semantics), §1. Twin:
** target/plat_esp8266.c; the shared part is plat_dev.c (plat_port.h). May call:
** plat_dev, the SPIFFS library's NOR rule, libc, POSIX mmap.
*/
#include "firmware/plat/plat_port.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spiffs/spiffs.h"

#define WINDOW_SIZE (UINT64_C(1) << 32)

uint8_t *plat_window;

static size_t page;          /* the host's page size */
static plat_flash_watch_fn *watch_fn;
static void *watch_ud;

static uintptr_t page_down(uintptr_t a)
{
    return a & ~(uintptr_t)(page - 1);
}

static uintptr_t page_up(uintptr_t a)
{
    return page_down(a + page - 1);
}

static uint8_t *flash_at(uint32_t off)
{
    return plat_window + PLAT_FLASH_MAPPED + off;
}

/* Give flash [off, off + n) page protection prot; with rest != 0, put the
** range back as it stays between operations: read-only in the mapped MiB,
** no access beyond. PLAT_FLASH_MAP_SIZE is a multiple of any page size,
** so no page straddles the two. */
static int protect(uint32_t off, uint32_t n, int prot, int rest)
{
    uintptr_t a = page_down((uintptr_t)flash_at(off));
    uintptr_t e = page_up((uintptr_t)flash_at(off) + n);
    uintptr_t m = (uintptr_t)flash_at(plat_dev_mapped_len());
    if (!rest)
        return mprotect((void *)a, e - a, prot) ? PLAT_EIO : 0;
    if (a < m && mprotect((void *)a, (e < m ? e : m) - a, PROT_READ))
        return PLAT_EIO;
    if (e > m && mprotect((void *)(a > m ? a : m), e - (a > m ? a : m),
                          PROT_NONE))
        return PLAT_EIO;
    return 0;
}

int plat_init(const plat_config_t *cfg)
{
    void *w;
    uint32_t fs, hs;
    if (plat_window)
        return PLAT_EBUSY;
    if (plat_dev_config(cfg, &fs, &hs))
        return PLAT_EINVAL;
    page = (size_t)sysconf(_SC_PAGESIZE);
    if (page == 0 || (page & (page - 1)) || PLAT_FLASH_MAP_SIZE % page)
        return PLAT_ENOMEM;
    w = mmap(NULL, (size_t)WINDOW_SIZE, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (w == MAP_FAILED)
        return PLAT_ENOMEM;
    plat_window = w;
    plat_dev_start(fs, hs);
    /* Flash: erased, then read-only / no access. */
    if (protect(0, fs, PROT_READ | PROT_WRITE, 0))
        goto fail;
    spiffs_nor_erase(flash_at(0), fs);
    if (protect(0, fs, 0, 1))
        goto fail;
    /* Heap: anonymous memory is already zero. */
    uintptr_t hb = (uintptr_t)plat_ptr(PLAT_DRAM_END - hs);
    uintptr_t he = (uintptr_t)plat_ptr(PLAT_DRAM_END);
    if (mprotect((void *)page_down(hb), page_up(he) - page_down(hb),
                 PROT_READ | PROT_WRITE))
        goto fail;
    /* Rom: host-only constant data (plat.h). */
    if (mprotect(plat_ptr(PLAT_ROM_BASE), PLAT_ROM_SIZE,
                 PROT_READ | PROT_WRITE))
        goto fail;
    return 0;
fail:
    plat_deinit();
    return PLAT_ENOMEM;
}

void plat_deinit(void)
{
    if (plat_window)
        munmap(plat_window, (size_t)WINDOW_SIZE);
    plat_window = NULL;
    watch_fn = NULL;
    watch_ud = NULL;
    plat_dev_stop();
}

/* ---- flash ------------------------------------------------------------- */

int plat_flash_read(uint32_t addr, void *buf, uint32_t n)
{
    if (!plat_dev_in_flash(addr, n))
        return PLAT_EINVAL;
    if (n == 0)
        return 0;
    if (addr + n <= plat_dev_mapped_len()) {
        memcpy(buf, flash_at(addr), n);
        return 0;
    }
    if (protect(addr, n, PROT_READ, 0))
        return PLAT_EIO;
    memcpy(buf, flash_at(addr), n);
    return protect(addr, n, 0, 1);
}

void plat_flash_watch(plat_flash_watch_fn *fn, void *ud)
{
    watch_fn = fn;
    watch_ud = ud;
}

/* [addr, addr + n) changed: put its protection back, tell the watcher. */
static int changed(uint32_t addr, uint32_t n)
{
    if (protect(addr, n, 0, 1))
        return PLAT_EIO;
    if (watch_fn)
        watch_fn(watch_ud, addr, n);
    return 0;
}

int plat_port_erase(uint32_t addr)
{
    if (protect(addr, PLAT_SECTOR_SIZE, PROT_READ | PROT_WRITE, 0))
        return PLAT_EIO;
    spiffs_nor_erase(flash_at(addr), PLAT_SECTOR_SIZE);
    return changed(addr, PLAT_SECTOR_SIZE);
}

int plat_port_write(uint32_t addr, const uint8_t *s, uint32_t n)
{
    if (protect(addr, n, PROT_READ | PROT_WRITE, 0))
        return PLAT_EIO;
    spiffs_nor_prog(flash_at(addr), s, n);
    return changed(addr, n);
}

/* ---- rom --------------------------------------------------------------- */

plat_ref_t plat_rom_base(void)
{
    return plat_window ? PLAT_ROM_BASE : 0;
}

uint32_t plat_rom_size(void)
{
    return plat_window ? PLAT_ROM_SIZE : 0;
}
