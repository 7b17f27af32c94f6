/*
** spiffs.h: the SPIFFS library: NodeMCU's SPIFFS on any storage reached
** through a small callback struct (littlefs lfs_config style): format,
** firmware probe and mount checks, list, stat, read, create, append,
** rename, remove, garbage collection and fsck. Writes are NOR-safe: the
** library only ever clears bits in programmed bytes, so it runs on real or
** emulated NOR flash as well as on a plain RAM buffer.
** Spec: docs/spiffs.md §1, §5. Twins: spiffs_read.c (mount, read side)
** and spiffs_write.c (format, write side); spiffs_repair.c (after a power
** cut); spiffs_fsck.c; spiffs_ram.c.
** May call: libc. Linked into spiffsimg, flashimg and the firmware.
*/
#ifndef SPIFFS_H
#define SPIFFS_H

#include <stddef.h>
#include <stdint.h>

#include "spiffs/spiffs_format.h"

/* Negative error codes; 0 or a count is success. The firmware's SPIFFS
** codes with the same meaning are named for reference. */
enum spiffs_error {
    SPIFFS_OK        = 0,
    SPIFFS_EIO       = -1,  /* a storage callback failed                */
    SPIFFS_EINVAL    = -2,  /* bad argument or geometry                 */
    SPIFFS_ENOTFS    = -3,  /* no SPIFFS here (ERR_NOT_A_FS, -10025)    */
    SPIFFS_EPROBE    = -4,  /* firmware probe fails (-10035)            */
    SPIFFS_ENOENT    = -5,  /* no such file (ERR_NOT_FOUND, -10002)     */
    SPIFFS_EEXIST    = -6,  /* name taken (ERR_CONFLICTING_NAME)        */
    SPIFFS_ENAME     = -7,  /* name empty, too long (-10036) or "/..."  */
    SPIFFS_ENOSPC    = -8,  /* file system full (ERR_FULL, -10001)      */
    SPIFFS_ECORRUPT  = -9,  /* inconsistent pages met while reading     */
    SPIFFS_ENOID     = -10, /* no free object id                        */
    SPIFFS_ENOTNOR   = -11  /* strict RAM backend: a bit would be set   */
};

/* Storage: every address is an FS offset (0 = start of the FS).
** read:  copy `size` bytes at `addr` into `buf`.
** prog:  program `size` bytes at `addr`. On NOR flash the result is
**        old AND new; the library never relies on setting a bit.
** erase: set `size` bytes at `addr` to 0xFF; addr and size are multiples
**        of the block size (a backend may erase 4 KiB sectors in turn).
** Each returns 0 or a negative code (passed up unchanged). */
typedef struct spiffs_config {
    void *context;      /* handed to every callback                    */
    int (*read)(void *context, uint32_t addr, void *buf, uint32_t size);
    int (*prog)(void *context, uint32_t addr, const void *buf,
                uint32_t size);
    int (*erase)(void *context, uint32_t addr, uint32_t size);
    uint32_t fs_size;   /* bytes, a multiple of block_size, >= 4 blocks */
    uint32_t block_size; /* 4096 or 8192; 0 = the firmware's rule       */
} spiffs_config_t;

/* A mounted file system. Fields are read-only for callers. */
typedef struct spiffs {
    spiffs_config_t cfg;
    uint32_t block_size;    /* bytes per logical block                  */
    uint32_t nblocks;       /* N in the magic                           */
    uint32_t ppb;           /* pages per block                          */
    uint32_t epb;           /* lookup entries (object pages) per block  */
    int bad_block;          /* block whose magic is wrong, or -1        */
    uint32_t cursor;        /* allocation starts at this block          */
    uint16_t max_erase;     /* highest erase count seen (0xFFFF skipped) */
    uint8_t lu[SPIFFS_PAGE_SIZE];   /* lookup page cache ...            */
    int32_t lu_block;       /* ... of this block, or -1                 */
} spiffs_t;

/* What `spiffs_stat` and `spiffs_list` report for one file. */
typedef struct spiffs_stat {
    char name[SPIFFS_NAME_LEN + 1]; /* NUL-terminated (32 bytes max + 1) */
    uint32_t size;          /* bytes; 0 for 0xFFFFFFFF                  */
    uint32_t raw_size;      /* the stored size field                    */
    uint16_t id;            /* object id, bit 15 clear                  */
    uint16_t hpix;          /* page index of the index header           */
    uint8_t type;           /* object type, 1 = file                    */
} spiffs_stat_t;

/* Mount flags. */
#define SPIFFS_MOUNT_REPAIR 1   /* erase a single bad-magic block, as the
                                   firmware does (§1.18 step 5), then settle
                                   what a power cut left (§5.6)          */

/* --- geometry and firmware rules (spiffs_read.c) ------------------- */

/* The firmware's block size for an FS region of `size` bytes (§1.18). */
uint32_t spiffs_fw_block_size(uint32_t size);
/* The firmware's FS region inside a partition (§1.18 step 2); 0 or
** SPIFFS_EINVAL when the region is smaller than 16 KiB. */
int spiffs_fw_region(uint32_t part_addr, uint32_t part_size,
                     uint32_t *fs_addr, uint32_t *fs_size);
/* The firmware's probe (§1.18 step 4) of storage with `block_size`
** blocks; sets *fs_size to the size the magics announce. */
int spiffs_probe(const spiffs_config_t *cfg, uint32_t block_size,
                 uint32_t *fs_size);
/* Which block size (4096 or 8192) makes block 0's magic match an FS of
** cfg->fs_size bytes; the firmware's choice is tried first. 0 or
** SPIFFS_ENOTFS. */
int spiffs_detect_block_size(const spiffs_config_t *cfg,
                             uint32_t *block_size);
/* Pages an n-byte file occupies (index header, index and data pages). */
uint32_t spiffs_file_pages(uint64_t size);

/* --- mount and read side (spiffs_read.c) -------------------------- */

/* Check every block's magic as the firmware does: one bad block is
** allowed (fs->bad_block; erased with SPIFFS_MOUNT_REPAIR), two or more
** give SPIFFS_ENOTFS. With SPIFFS_MOUNT_REPAIR it then finishes or undoes
** the operation a power cut interrupted (docs/spiffs.md §5.6): each file
** holds its old or its new content, no page is lost, and fsck finds
** nothing; it writes nothing when no cut left anything. Mount this way
** before writing to a file system that may have lost power. */
int spiffs_mount(spiffs_t *fs, const spiffs_config_t *cfg, int flags);
/* Like spiffs_mount but never fails on magics: for fsck and salvage. */
int spiffs_mount_force(spiffs_t *fs, const spiffs_config_t *cfg);
/* Call fn for each file in lookup order; a non-zero return stops the
** walk and is returned. Returns 0 or a negative code. */
typedef int (*spiffs_list_fn)(void *ctx, const spiffs_stat_t *st);
int spiffs_list(spiffs_t *fs, spiffs_list_fn fn, void *ctx);
int spiffs_stat(spiffs_t *fs, const char *name, spiffs_stat_t *st);
/* Read up to n bytes at offset off; returns the bytes read (0 at EOF). */
long spiffs_read(spiffs_t *fs, const char *name, uint32_t off, void *buf,
                 size_t n);
/* SPIFFS_info: total = ((N-2)*epb+1)*251, used = live pages * 251. */
int spiffs_info(spiffs_t *fs, uint32_t *total, uint32_t *used);
/* Page counts from the lookup entries. */
typedef struct spiffs_usage {
    uint32_t pages;         /* object pages in the FS (N * epb)         */
    uint32_t free_pages;    /* lookup 0xFFFF                            */
    uint32_t deleted_pages; /* lookup 0x0000                            */
    uint32_t live_pages;    /* all others                               */
    uint32_t limit_pages;   /* live pages allowed: (N - 2) * epb        */
} spiffs_usage_t;
int spiffs_usage(spiffs_t *fs, spiffs_usage_t *u);

/* --- write side (spiffs_write.c) ---------------------------------- */
/* Space: live pages never exceed (N - 2) * epb (§1.17); a write that
** would is refused with SPIFFS_ENOSPC before anything changes. Deleted
** pages are reclaimed (gc_block in spiffs_write.c) before a write that needs
** them. A write that keeps live pages within (N - 5) * epb always succeeds;
** above that, a badly fragmented FS (deleted pages spread thinly over blocks
** full of other files' pages) may refuse it with SPIFFS_ENOSPC, leaving
** everything as it was. Every failed create/append/write/rename changes
** nothing. A power cut in any write leaves the old or the new version
** (once mounted with SPIFFS_MOUNT_REPAIR). */

/* Erase every block, then write erase count 0 and the magic (§1.14). */
int spiffs_format(const spiffs_config_t *cfg);
/* Valid name: 1..31 bytes, no leading '/' (§1.12). 0 or SPIFFS_ENAME. */
int spiffs_name_check(const char *name);
/* New empty file (size 0xFFFFFFFF); SPIFFS_EEXIST if the name exists. */
int spiffs_create(spiffs_t *fs, const char *name);
/* Append n bytes to an existing file. */
int spiffs_append(spiffs_t *fs, const char *name, const void *data,
                  size_t n);
/* Create or replace `name` with exactly these bytes, atomically: the new
** version is written beside the old one and replaces it with one write,
** so a failure or a power cut leaves the old version or the new one.
** SPIFFS_ENOSPC (nothing changed) when the FS has no room for both. */
int spiffs_write_file(spiffs_t *fs, const char *name, const void *data,
                      size_t n);
/* Rename; SPIFFS_EEXIST if `to` exists. */
int spiffs_rename(spiffs_t *fs, const char *from, const char *to);
int spiffs_remove(spiffs_t *fs, const char *name);

/* --- fsck (spiffs_fsck.c) ------------------------------------------ */

enum spiffs_severity {
    SPIFFS_WARN = 1,        /* works, but wastes space or is fragile    */
    SPIFFS_ERROR = 2        /* data unreadable or firmware would reformat */
};
typedef struct spiffs_issue {
    int severity;           /* enum spiffs_severity                     */
    long offset;            /* FS byte offset, or -1                    */
    const char *msg;        /* "what is wrong; what to do"              */
} spiffs_issue_t;
typedef void (*spiffs_issue_fn)(void *ctx, const spiffs_issue_t *issue);
/* Check everything in §1.4-§1.13 and §1.17 on a spiffs_mount_force'd
** FS; calls fn per inconsistency; returns the number found (>= 0) or a
** negative code when storage fails. */
long spiffs_fsck(spiffs_t *fs, spiffs_issue_fn fn, void *ctx);

/* --- NOR flash in RAM and the RAM backend (spiffs_ram.c) ---------- */

/* NOR flash's rule (docs/spiffs.md §0), the one copy every flash emulated in
** RAM applies: this backend, the host platform (plat_host.c) and the
** simulated device (sim_dev_host.c). A program can only clear bits:
** each byte becomes old AND data; an erase sets every byte to 0xFF.
** spiffs_nor_sets checks a program beforehand: the index of the first
** of the n bytes where data has a 1 bit that old lacks, or n if none. */
uint32_t spiffs_nor_sets(const uint8_t *old, const uint8_t *data,
                         uint32_t n);
void spiffs_nor_prog(uint8_t *dst, const uint8_t *data, uint32_t n);
void spiffs_nor_erase(uint8_t *dst, uint32_t n);

enum spiffs_ram_mode {
    SPIFFS_RAM_COPY = 0,    /* prog copies bytes (a plain buffer)        */
    SPIFFS_RAM_NOR = 1,     /* prog ANDs bytes (NOR flash)               */
    SPIFFS_RAM_STRICT = 2,  /* NOR, and a prog that would set a bit fails
                               with SPIFFS_ENOTNOR                        */
    SPIFFS_RAM_RDONLY = 3   /* prog and erase fail with SPIFFS_EIO       */
};
typedef struct spiffs_ram {
    uint8_t *buf;           /* caller's buffer, not owned               */
    uint32_t size;          /* bytes the callbacks accept               */
    uint32_t len;           /* bytes of buf present; reads beyond them
                               see erased flash (0xFF)                   */
    int mode;               /* enum spiffs_ram_mode                     */
    uint32_t progs, erases; /* statistics                               */
    int32_t budget;         /* power cut: programs and erases left before
                               it; < 0 (what config sets): never         */
    uint32_t cut;           /* programs and erases refused by the cut   */
} spiffs_ram_t;
/* Fill cfg for a RAM buffer of size bytes (len = size); block_size 0 =
** the firmware's rule. Power cuts (littlefs emubd's power_cycles, as
** plat_flash_power_cut_after): set budget to n and the n programs or
** erases after it succeed, every later one fails with SPIFFS_EIO and
** changes nothing, until budget is set below 0 again ("power on"). */
void spiffs_ram_config(spiffs_ram_t *ram, uint8_t *buf, uint32_t size,
                       int mode, uint32_t block_size,
                       spiffs_config_t *cfg);
/* Fill cfg for a read-only view (SPIFFS_RAM_RDONLY) of an FS of size
** bytes of which the first len are in buf (a dump may end early). */
void spiffs_ram_config_ro(spiffs_ram_t *ram, const uint8_t *buf,
                          size_t len, uint32_t size, uint32_t block_size,
                          spiffs_config_t *cfg);
/* The callbacks spiffs_ram_config installs (context: the spiffs_ram_t),
** for a backend that does more around them. */
int spiffs_ram_read(void *ram, uint32_t addr, void *buf, uint32_t size);
int spiffs_ram_prog(void *ram, uint32_t addr, const void *buf,
                    uint32_t size);
int spiffs_ram_erase(void *ram, uint32_t addr, uint32_t size);

/* Short English text for an error code. */
const char *spiffs_strerror(int err);

#endif
