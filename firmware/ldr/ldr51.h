/*
** ldr51.h: the firmware's Lua 5.1 LFS loader. At boot, ldr51_boot checks
** the image header and then the whole image in mapped flash (lfs51_check)
** and hands the VM the read-only string table (ROstrt) and the index
** Proto, in place: no flash byte is copied or changed. node.LFS.reload is
** ldr51_reload_*: pass 1 inflates the gzip file and validates it, ending
** with the boot's own check of the relocated image, so it accepts exactly
** what the boot will; pass 2 inflates it again, relocates and writes it
** into the LFS partition with the IN_PROGRESS signature, cleared last.
** Errors are negative LDR51_E* codes and the firmware's own message text;
** nothing here longjmps or prints.
**
** Incremental reload (ours, ldr51_cfg_t.incremental): pass 1 is followed
** by a compare pass, still before any flash write, that inflates the file
** once more, relocates it, checks the relocated header as the boot check
** will and every relocated pointer against the image, and notes which 4
** KiB sectors would change and which need an erase (a bit going 0 -> 1).
** Pass 2 then erases and writes only those; a sector whose bytes would not
** change is neither erased nor rewritten, except the header sector, which
** carries the IN_PROGRESS mark whenever any other sector changes. An image
** equal to the one in flash costs no flash operation at all.
** Spec: docs/lfs51.md §5.1 (boot), §5.2 (reload), §3.1-3.3 (header, pointers),
** §4.1 (gzip). Twin: lfs/lfs51_write.c makes what this loads.
** May call: plat, lfs/gz (inflater), lfs/lfs51.h constants, libc.
*/
#ifndef LDR51_H
#define LDR51_H

#include <stddef.h>
#include <stdint.h>

#include "firmware/plat/plat.h"
#include "lfs/lfs51.h"

/* Negative codes; the message says which check failed. */
enum ldr51_error {
    LDR51_OK      = 0,
    LDR51_ENOPART = -1,  /* the LFS partition has size 0                  */
    LDR51_EEMPTY  = -2,  /* boot: no image (signature 0 or erased)        */
    LDR51_ESIG    = -3,  /* signature: version, build type, magic, or an
                            interrupted reload (IN_PROGRESS)             */
    LDR51_ESIZE   = -4,  /* boot: size check; reload: too big, length     */
    LDR51_EFILE   = -5,  /* reload: no file, short, not gzip, corrupt     */
    LDR51_EDICT   = -6,  /* reload: back-reference beyond the device's
                            16 KiB history or to output byte 0           */
    LDR51_ECRC    = -7,  /* reload: CRC-32 does not match                 */
    LDR51_ENOMEM  = -8,  /* reload: work memory could not be allocated    */
    LDR51_EFLASH  = -9,  /* reload pass 2: a flash erase or write failed
                            (power cut on the host)                      */
    LDR51_EINVAL  = -10  /* bad configuration: partition misaligned, not
                            in the mapped first MiB, or past the flash    */
};

/* Messages: the firmware's texts (docs/lfs51.md §5); boot and pass-1 messages
** are what node.LFS.reload returns to Lua, pass-2 ones what the device
** prints before it erases the partition and restarts. */
#define LDR51_MSG_SIZE      96
#define LDR51_DETAIL_SIZE   256
#define LDR51_MSG_EMPTY     "No LFS image loaded"
#define LDR51_MSG_SIG       "Flash sig not correct: "      /* 0x%x vs 0x%x */
#define LDR51_MSG_SIZECHK   "Flash size check failed: "    /* details */
#define LDR51_MSG_NOPART    "No LFS partition allocated"
#define LDR51_MSG_NOFILE    "LFS image file not found"
#define LDR51_MSG_VERSION   LFS51_MSG_VERSION   /* pass 1 header checks, */
#define LDR51_MSG_BUILD     LFS51_MSG_BUILD     /* lfs51_reload_check    */
#define LDR51_MSG_BADSIG    LFS51_MSG_BADSIG
#define LDR51_MSG_TOOBIG    LFS51_MSG_TOOBIG
#define LDR51_MSG_LENGTH    LFS51_MSG_LENGTH
#define LDR51_MSG_READ      "read error on LFS image file"
#define LDR51_MSG_DICT      "invalid dictionary offset on inflate"
#define LDR51_MSG_CRC       "checksum error on LFS image file"
#define LDR51_MSG_NOMEM     "Memory allocation error"
#define LDR51_MSG_P2DATA    "Data_error during decompression"
#define LDR51_MSG_P2CRC     "Chksum_error during decompression"
#define LDR51_MSG_P2DICT    "Dictionary error during decompression"
#define LDR51_MSG_P2NOMEM   "Memory_error during decompression"
#define LDR51_MSG_P2FLASH   "Flash write error during LFS reload"  /* ours */
#define LDR51_MSG_DONE      "LFS region updated.  Restarting."

/* The firmware the loader serves and where its LFS partition is. */
typedef struct ldr51_cfg {
    uint32_t lfs_addr;     /* partition flash offset: a multiple of
                              PLAT_SECTOR_SIZE; addr + size within the
                              mapped first MiB (PLAT_FLASH_MAP_SIZE)      */
    uint32_t lfs_size;     /* partition bytes, a multiple of
                              PLAT_SECTOR_SIZE; 0 = no LFS partition     */
    int integral;          /* firmware numbers: 0 float, image signature
                              0xFAFAA154; 1 integer, 0xFAFAA152          */
    int incremental;       /* 0: NodeMCU's pass 2 (erase the image's
                              sectors, write all); 1: the compare pass and
                              the incremental pass 2 described above     */
    /* Reload work memory: about 23 KiB at once plus the bitmap
    ** (flash_size / 32 bytes), and flash_size bytes for the image check
    ** when available (slower without). alloc NULL = malloc/free; else
    ** free must be set too. The VM passes its heap allocator so the
    ** device's limits hold (LDR51_MSG_NOMEM when they do not). */
    void *(*alloc)(void *ctx, size_t n);
    void (*free)(void *ctx, void *p);
    void *alloc_ctx;
} ldr51_cfg_t;


/* ---- boot (docs/lfs51.md §5.1) ------------------------------------------- */

/* What the VM gets from a valid LFS. Every ref points into mapped flash;
** the objects there are laid out as docs/lfs51.md §2 says and never written. */
typedef struct ldr51_lfs {
    plat_ref_t base;       /* 0x40200000 + lfs_addr: the image header     */
    uint32_t flash_sig;    /* as in flash (bit 0 set for -a images)       */
    uint32_t flash_size;   /* image bytes                                 */
    plat_ref_t mainProto;  /* the index function's Proto (ROpvmain)       */
    plat_ref_t pROhash;    /* ROstrt: nROsize TString refs (bucket heads) */
    uint32_t nROuse;       /* strings in the ROstrt                       */
    uint32_t nROsize;      /* buckets; a string of hash h is in bucket
                              h & (nROsize - 1), chained through next     */
} ldr51_lfs_t;

/* The boot check, in the firmware's order: no image, signature, size;
** then ours, the whole image (lfs/lfs51_check.h: "Flash size check
** failed: byte 0x...: ..."), reading only inside it, allocating nothing.
** 0: *lfs is the LFS. Otherwise *lfs is zeroed, LFS is off and msg (if
** not NULL, LDR51_MSG_SIZE bytes) holds the console line; for
** LDR51_ENOPART it is empty (the firmware says nothing). */
int ldr51_boot(const ldr51_cfg_t *cfg, ldr51_lfs_t *lfs, char *msg);

/* ---- reload (docs/lfs51.md §5.2) ----------------------------------------- */

/* The image file, read by position (SPIFFS on the device). read must
** return n (off + n <= size is guaranteed), or < 0 on an I/O error. */
typedef struct ldr51_file {
    uint32_t size;
    int (*read)(void *ctx, uint32_t off, uint8_t *buf, uint32_t n);
    void *ctx;
} ldr51_file_t;

/* A file held in memory (not copied). */
void ldr51_file_mem(ldr51_file_t *f, const uint8_t *data, uint32_t n);

typedef struct ldr51_work ldr51_work_t;    /* inflater and buffers */

/* Sector bit sets of an incremental reload: one bit per 4 KiB sector of
** the partition (at most the mapped MiB). */
#define LDR51_SECTOR_WORDS (PLAT_FLASH_MAP_SIZE / PLAT_SECTOR_SIZE / 32)

/* One reload. Fields are for reading after a call; set up by _begin. */
typedef struct ldr51_reload {
    const ldr51_cfg_t *cfg;
    const ldr51_file_t *file;
    uint32_t isize;        /* the file's last 4 bytes: inflated length L  */
    uint32_t flash_sig;    /* from the image header (pass 1)              */
    uint32_t flash_size;
    uint32_t *bitmap;      /* relocation bitmap, captured by pass 1       */
    uint32_t nbitmap;      /* its words: 1 + (flash_size / 4 - 1) / 32    */
    int validated;         /* pass 1 succeeded                            */
    /* Incremental reload (cfg->incremental), set by the compare pass: */
    uint32_t nsectors;     /* sectors the image covers                    */
    uint32_t changed[LDR51_SECTOR_WORDS];  /* bytes differ from flash     */
    uint32_t dirty[LDR51_SECTOR_WORDS];    /* a bit must go 0 -> 1: erase */
    /* ... and counted by pass 2 (sectors of the image; both modes): */
    uint32_t erased;       /* sectors erased                              */
    uint32_t written;      /* sectors with at least one block written     */
    uint32_t unchanged;    /* sectors neither erased nor written          */
    int err;               /* first failure, sticky                       */
    char msg[LDR51_MSG_SIZE];   /* the firmware's text for err, or done   */
    char detail[LDR51_DETAIL_SIZE];  /* the inflater's diagnostic, or "" */
    ldr51_work_t *w;
} ldr51_reload_t;

/* Allocate the work memory for reloading file into cfg's partition:
** LDR51_ENOPART, LDR51_EFILE (file NULL: not found; <= 200 bytes or
** unreadable), LDR51_ENOMEM. Call _end afterwards in every case. */
int ldr51_reload_begin(ldr51_reload_t *r, const ldr51_cfg_t *cfg,
                       const ldr51_file_t *file);
/* Pass 1: inflate the whole file without touching flash; check the header
** (version, build type, signature, size, length), capture the bitmap,
** check the CRC. Incremental: then the compare pass (no flash write
** either); its failures are LDR51_ESIZE with LDR51_MSG_SIZECHK (the
** relocated header would fail the boot check, a relocated pointer leaves
** the image) or LDR51_MSG_LENGTH (bitmap bits past the image). Last, in
** both modes, the boot's check of the whole image on the relocated
** stream: LDR51_ESIZE with the boot's message. It reads the image from a
** copy of flash_size bytes if cfg's allocator has one, else from the
** inflater's history, inflating again for words outside it. On failure
** the old LFS is untouched. */
int ldr51_reload_validate(ldr51_reload_t *r);
/* Pass 2, only after pass 1 succeeded: erase the image's sectors, inflate
** again, relocate each marked word v to 4v + base, write 2 KiB blocks with
** the IN_PROGRESS signature, then clear that bit. Incremental: only the
** sectors the compare pass found changed, erased only when needed, and
** nothing at all when none changed. 0: msg is LDR51_MSG_DONE and the
** caller restarts. On failure the whole partition is erased (unless the
** power is cut) and msg says why. */
int ldr51_reload_write(ldr51_reload_t *r);
/* Free the work memory; r's results stay readable. */
void ldr51_reload_end(ldr51_reload_t *r);

/* All of it: begin, validate, write, end. msg (may be NULL) receives
** r.msg. Pass-1 failures leave flash untouched. */
int ldr51_reload(const ldr51_cfg_t *cfg, const ldr51_file_t *file,
                 char *msg);

#endif
