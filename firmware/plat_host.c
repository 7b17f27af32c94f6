/*
** plat_host.c: the platform layer on a 64-bit host (plat.h). One 4 GiB
** window of address space is reserved with no access; target address a is
** window byte a. Inside it the flash is mapped read-only at 0x40200000
** (only its first MiB is readable, as the ESP8266's cache maps only that),
** the heap arena is mapped read/write at the end of dram0 and a host-only
** "rom" region read/write at 0x40000000 (plat.h). A store to
** flash or a load outside the two regions faults, as it would crash the
** chip. Flash changes only through plat_flash_erase/write, which make the
** affected pages writable for the copy and restore them at once.
** Spec: flash-layout.md §0 (NOR semantics), §1. Twin: none yet (a target
** plat_esp8266.c). May call: libc, POSIX mmap.
*/
#include "firmware/plat.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WINDOW_SIZE (UINT64_C(1) << 32)

const plat_profile_t plat_profile_esp8266 = {
    .name = "esp8266",
    .flash_size = PLAT_FLASH_DEFAULT,
    .heap_size = PLAT_HEAP_DEFAULT,
    .lfs_addr = 0x80000u,
    .lfs_size = 0x40000u,
    .dialect = 51,
    .integral = 0,
};

uint8_t *plat_window;

/* The one device of this process. */
static struct {
    uint32_t flash_size;
    uint32_t heap_size;
    size_t page;
    int32_t budget;         /* operations left before the cut; < 0: none */
    plat_flash_stats_t st;
} dev;

static uintptr_t page_down(uintptr_t a)
{
    return a & ~(uintptr_t)(dev.page - 1);
}

static uintptr_t page_up(uintptr_t a)
{
    return page_down(a + dev.page - 1);
}

static uint8_t *flash_at(uint32_t off)
{
    return plat_window + PLAT_FLASH_MAPPED + off;
}

/* Flash offset where the unmapped (PROT_NONE) part begins. */
static uint32_t mapped_len(void)
{
    return dev.flash_size < PLAT_FLASH_MAP_SIZE ? dev.flash_size
                                                : PLAT_FLASH_MAP_SIZE;
}

/* Give flash [off, off + n) page protection prot; with rest != 0, put the
** range back as it stays between operations: read-only in the mapped MiB,
** no access beyond. PLAT_FLASH_MAP_SIZE is a multiple of any page size,
** so no page straddles the two. */
static int protect(uint32_t off, uint32_t n, int prot, int rest)
{
    uintptr_t a = page_down((uintptr_t)flash_at(off));
    uintptr_t e = page_up((uintptr_t)flash_at(off) + n);
    uintptr_t m = (uintptr_t)flash_at(mapped_len());
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
    static const plat_config_t none;
    void *w;
    if (plat_window)
        return PLAT_EBUSY;
    if (!cfg)
        cfg = &none;
    uint32_t fs = cfg->flash_size ? cfg->flash_size : PLAT_FLASH_DEFAULT;
    uint32_t hs = cfg->heap_size ? cfg->heap_size : PLAT_HEAP_DEFAULT;
    if (fs % PLAT_SECTOR_SIZE || fs > PLAT_FLASH_MAX ||
        hs % PLAT_HEAP_ALIGN || hs < PLAT_HEAP_MIN || hs > PLAT_DRAM_SIZE)
        return PLAT_EINVAL;
    memset(&dev, 0, sizeof dev);
    dev.page = (size_t)sysconf(_SC_PAGESIZE);
    if (dev.page == 0 || (dev.page & (dev.page - 1)) ||
        PLAT_FLASH_MAP_SIZE % dev.page)
        return PLAT_ENOMEM;
    w = mmap(NULL, (size_t)WINDOW_SIZE, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (w == MAP_FAILED)
        return PLAT_ENOMEM;
    plat_window = w;
    dev.flash_size = fs;
    dev.heap_size = hs;
    dev.budget = -1;
    /* Flash: erased, then read-only / no access. */
    if (protect(0, fs, PROT_READ | PROT_WRITE, 0))
        goto fail;
    memset(flash_at(0), 0xFF, fs);
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
    return plat_window && addr <= dev.flash_size &&
           n <= dev.flash_size - addr;
}

int plat_flash_read(uint32_t addr, void *buf, uint32_t n)
{
    if (!in_flash(addr, n))
        return PLAT_EINVAL;
    if (n == 0)
        return 0;
    if (addr + n <= mapped_len()) {
        memcpy(buf, flash_at(addr), n);
        return 0;
    }
    if (protect(addr, n, PROT_READ, 0))
        return PLAT_EIO;
    memcpy(buf, flash_at(addr), n);
    return protect(addr, n, 0, 1);
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
    if (!plat_window || sector >= dev.flash_size / PLAT_SECTOR_SIZE)
        return PLAT_EINVAL;
    if (!powered())
        return PLAT_EPOWER;
    if (protect(addr, PLAT_SECTOR_SIZE, PROT_READ | PROT_WRITE, 0))
        return PLAT_EIO;
    memset(flash_at(addr), 0xFF, PLAT_SECTOR_SIZE);
    dev.st.erases++;
    return protect(addr, PLAT_SECTOR_SIZE, 0, 1);
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
    if (protect(addr, n, PROT_READ | PROT_WRITE, 0))
        return PLAT_EIO;
    uint8_t *d = flash_at(addr);
    for (uint32_t i = 0; i < n; i++)
        d[i] &= s[i];
    dev.st.writes++;
    dev.st.bytes += n;
    return protect(addr, n, 0, 1);
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
    return plat_window ? PLAT_DRAM_END - dev.heap_size : 0;
}

uint32_t plat_heap_size(void)
{
    return dev.heap_size;
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
