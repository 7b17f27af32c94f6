/*
** plat.h: the platform layer of the firmware's memory model
** (docs/architecture.md §3, "The VM's memory model: 32-bit target addresses
** everywhere"): 32-bit target references, the SPI NOR flash (mapped read-only,
** changed only through plat_flash_erase/plat_flash_write), the heap arena in
** data RAM, and the device profile.
** Spec: docs/flash-layout.md §1 (flash map), docs/lfs51.md §2 (target data
** model). Twins: plat_host.c (this file's host implementation: one reserved 4
** GiB window); a target plat_esp8266.c is future work. May call: libc.
**
** Target address map (ESP8266), reproduced inside the host window:
**
**   0x3FFE8000 ... 0x3FFFC000  dram0, 80 KiB of data RAM. The heap arena
**                              ends at PLAT_DRAM_END, as the SDK's heap
**                              does (it runs from the end of .bss to the
**                              end of dram0): base = 0x3FFFC000 - size,
**                              0x3FFF1000 for the default 44 KiB.
**   0x40200000 ... +1 MiB      SPI flash offsets 0 ... 0xFFFFF, mapped by
**                              the cache, read-only. Flash objects (LFS)
**                              are recognised by this range.
**   0x40000000 ... +256 KiB    host only, "rom": constant data the firmware
**                              keeps in irom0 on the chip (ROTables, their
**                              key strings), built by the VM on the host
**                              because its C structs hold 64-bit pointers
**                              (vm_rot_host.c). Not flash, not heap.
**   everything else            no access: a load or store faults, as on
**                              the chip (ref 0 included).
**
** Host: flash beyond the first MiB is backed too but not accessible; only
** plat_flash_read/erase/write reach it (SPIFFS lives there).
*/
#ifndef PLAT_H
#define PLAT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the VM lays objects out as the little-endian ESP8266 does"
#endif

/* A reference: a 32-bit target address, stored in every object the VM
** keeps in RAM or flash. 0 is NULL. */
typedef uint32_t plat_ref_t;

/* ---- target address map ------------------------------------------------ */

#define PLAT_DRAM_BASE      0x3FFE8000u /* dram0 segment of the SDK's ld  */
#define PLAT_DRAM_END       0x3FFFC000u /* end of dram0; the heap ends here */
#define PLAT_DRAM_SIZE      (PLAT_DRAM_END - PLAT_DRAM_BASE)   /* 80 KiB */
#define PLAT_HEAP_DEFAULT   0xB000u     /* 44 KiB: NodeMCU's free heap     */
#define PLAT_HEAP_MIN       0x1000u     /* 4 KiB                           */
#define PLAT_HEAP_ALIGN     8u          /* sizes are multiples of this     */

#define PLAT_FLASH_MAPPED   0x40200000u /* flash offset 0 appears here     */
#define PLAT_FLASH_MAP_SIZE 0x00100000u /* the cache maps the first MiB    */
#define PLAT_SECTOR_SIZE    0x1000u     /* erase unit: 4 KiB               */
#define PLAT_WRITE_ALIGN    4u          /* flash writes: address and size  */
#define PLAT_FLASH_DEFAULT  0x00400000u /* 4 MiB, the NodeMCU default      */
#define PLAT_FLASH_MAX      0x01000000u /* 16 MiB, the largest esptool size */
#define PLAT_ROM_BASE       0x40000000u /* host only: the rom region       */
#define PLAT_ROM_SIZE       0x00040000u /* 256 KiB                         */

/* ---- errors ------------------------------------------------------------ */

/* Negative codes, 0 for success (littlefs style), errno's numbers. */
enum plat_error {
    PLAT_OK     = 0,
    PLAT_EIO    = -5,   /* the host refused a mapping change (mprotect) */
    PLAT_EPOWER = -6,   /* emulated power cut: the device is off        */
    PLAT_ENOMEM = -12,  /* the window or a region could not be mapped   */
    PLAT_EBUSY  = -16,  /* plat_init while already initialised          */
    PLAT_EINVAL = -22   /* out of range, misaligned, or not initialised */
};

/* ---- configuration ----------------------------------------------------- */

/* What plat_init builds. Zero fields take the defaults. */
typedef struct plat_config {
    uint32_t flash_size;   /* SPI flash bytes: a multiple of
                              PLAT_SECTOR_SIZE, at most PLAT_FLASH_MAX;
                              0 = PLAT_FLASH_DEFAULT. Starts erased (0xFF). */
    uint32_t heap_size;    /* heap arena bytes: a multiple of
                              PLAT_HEAP_ALIGN in PLAT_HEAP_MIN ..
                              PLAT_DRAM_SIZE; 0 = PLAT_HEAP_DEFAULT. Starts
                              zeroed. The host maps whole pages, so up to a
                              page below the base does not fault. */
} plat_config_t;

/* A device profile (docs/architecture.md §5): what every tool must agree on.
** The text-file reader is future work; plat_profile_esp8266 holds the
** defaults it will fall back to. */
typedef struct plat_profile {
    const char *name;      /* "esp8266"                                   */
    uint32_t flash_size;   /* bytes, as plat_config_t.flash_size          */
    uint32_t heap_size;    /* bytes, as plat_config_t.heap_size           */
    uint32_t lfs_addr;     /* LFS partition: flash offset, sector-aligned,
                              inside the mapped first MiB                 */
    uint32_t lfs_size;     /* LFS partition bytes, sector multiple; 0 none */
    int dialect;           /* 51 or 53                                    */
    int integral;          /* 5.1: 0 float (double), 1 integer build      */
} plat_profile_t;

/* ESP8266, 4 MiB flash, 44 KiB heap, Lua 5.1 float, and an LFS partition
** of 256 KiB (luac.cross's largest image, docs/lfs51.md §6) at 0x80000, right
** after a firmware of up to 448 KiB, as NodeMCU's first boot would place
** it (docs/flash-layout.md §3). */
extern const plat_profile_t plat_profile_esp8266;

/* ---- lifetime ---------------------------------------------------------- */

/* Reserve the window and map flash and heap. One device per process:
** PLAT_EBUSY if already initialised. cfg may be NULL (all defaults). */
int plat_init(const plat_config_t *cfg);
/* Unmap everything; every ref and pointer becomes invalid. */
void plat_deinit(void);

/* ---- references -------------------------------------------------------- */

#if defined(__XTENSA__)
/* On the target a reference is the pointer. */
static inline void *plat_ptr(plat_ref_t ref)
{
    return (void *)(uintptr_t)ref;
}
static inline plat_ref_t plat_ref(const void *p)
{
    return (plat_ref_t)(uintptr_t)p;
}
#else
/* Host: base of the 4 GiB window (NULL before plat_init). */
extern uint8_t *plat_window;

/* The host pointer of a ref. plat_ptr(0) is the window base, not NULL: it
** faults when used, as address 0 does on the chip. Test refs for NULL,
** never converted pointers. */
static inline void *plat_ptr(plat_ref_t ref)
{
    return plat_window + ref;
}
/* The ref of a pointer into the window; NULL gives 0. */
static inline plat_ref_t plat_ref(const void *p)
{
    return p ? (plat_ref_t)((const uint8_t *)p - plat_window) : 0;
}
#endif

/* A 32-bit load; ref must be 4-aligned. Flash is read this way on the
** ESP8266, which cannot load bytes from mapped flash (docs/lfs51.md §2.3). */
static inline uint32_t plat_load32(plat_ref_t ref)
{
    return *(const volatile uint32_t *)plat_ptr(ref);
}

/* ---- flash ------------------------------------------------------------- */

/* Size of the flash, 0 before plat_init. */
uint32_t plat_flash_size(void);
/* End of the mapped, readable flash range: PLAT_FLASH_MAPPED +
** min(flash size, PLAT_FLASH_MAP_SIZE). */
plat_ref_t plat_flash_mapped_end(void);
/* Whether ref lies in mapped flash (objects there are never written). */
int plat_is_flash(plat_ref_t ref);

/* Read n bytes at flash offset addr, any alignment, anywhere in the flash
** (also past the mapped first MiB). Works while the power is cut. */
int plat_flash_read(uint32_t addr, void *buf, uint32_t n);
/* Erase one 4 KiB sector (its index: flash offset / PLAT_SECTOR_SIZE):
** every byte becomes 0xFF. */
int plat_flash_erase(uint32_t sector);
/* Program n bytes at flash offset addr, NOR style: each byte becomes
** old & new, so a write only clears bits (0 -> 1 needs an erase). addr
** and n are multiples of PLAT_WRITE_ALIGN, as the SDK requires. */
int plat_flash_write(uint32_t addr, const void *data, uint32_t n);
/* What esptool write_flash does: erase the sectors [addr, addr + n)
** touches, then write data (a tail of n % 4 bytes padded with 0xFF).
** addr must be sector-aligned. Counts as that many erases and one write
** (two with a padded tail). */
int plat_flash_program(uint32_t addr, const void *data, uint32_t n);

/* Counters of flash operations since plat_init. */
typedef struct plat_flash_stats {
    uint32_t erases;       /* plat_flash_erase calls that erased         */
    uint32_t writes;       /* plat_flash_write calls that wrote          */
    uint64_t bytes;        /* bytes written                              */
    uint32_t cut;          /* operations refused because power was cut   */
} plat_flash_stats_t;

void plat_flash_stats(plat_flash_stats_t *st);

/* Power-cut emulation (littlefs's emubd power_cycles): after n more
** successful erases or writes the power is cut; later ones do nothing and
** return PLAT_EPOWER until plat_flash_power_on. n < 0: never. Reads and
** the mapped view keep working, so a test can "reboot" and inspect. */
void plat_flash_power_cut_after(int32_t n);
void plat_flash_power_on(void);

/* ---- heap -------------------------------------------------------------- */

/* The heap arena: [plat_heap_base(), plat_heap_base() + plat_heap_size()),
** ending at PLAT_DRAM_END, read/write. */
plat_ref_t plat_heap_base(void);
uint32_t plat_heap_size(void);

/* ---- host only ---------------------------------------------------------- */

#if !defined(__XTENSA__)
/* Flash write-through: fn is told of every erase and write that changed
** the flash, when it has: [addr, addr + n) holds its new bytes
** (plat_flash_read reads them). nodemcu-sim writes them to its flash
** file, so the file follows the chip operation by operation. fn may end
** with a longjmp (the operation then is not counted). NULL: none;
** plat_deinit clears it. */
typedef void plat_flash_watch_fn(void *ud, uint32_t addr, uint32_t n);
void plat_flash_watch(plat_flash_watch_fn *fn, void *ud);

/* The rom region [PLAT_ROM_BASE, +PLAT_ROM_SIZE): read/write on the host,
** zeroed by plat_init; only the VM's ROTable builder writes it. */
plat_ref_t plat_rom_base(void);
uint32_t plat_rom_size(void);
#endif

#endif
