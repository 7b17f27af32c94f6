/*
** flashimg.h: what the flashimg files share: the device profile, numbers,
** a whole-flash image opened for reading (header, partition table and its
** plan), LFS and SPIFFS partitions (prepare, describe, locate), inspect,
** and the subcommands. Only flashimg_main.c and the cmd functions print.
** Spec: docs/flash-layout.md §1-§5, docs/lfs51.md §4-§5, docs/lfs53.md §5,
** docs/spiffs.md §1.18. Twin: none. May call: esphdr, ptab, lfs/ (readers, gz,
** file, diag), the SPIFFS library, libc.
*/
#ifndef FLASHIMG_H
#define FLASHIMG_H

#include <stddef.h>
#include <stdint.h>

#include "flash/esphdr.h"
#include "flash/flash_map.h"
#include "flash/ptab.h"
#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"
#include "spiffs/spiffs.h"

#define FLASHIMG_PROG       "flashimg"
#define FLASHIMG_VERSION    "1.0.0"
#define FLASHIMG_MAX_FLASH  0x1000000u  /* 16 MiB, esptool's largest     */
#define FLASHIMG_MAX_INPUT  (FLASHIMG_MAX_FLASH + 0x1000u)
#define FLASHIMG_EAGLEROM   0xB000u     /* 0x00000.bin's room (default)  */

/* Exit codes. */
enum { FLASHIMG_OK = 0, FLASHIMG_BAD_INPUT = 1, FLASHIMG_USAGE = 2 };

/* ---- device profile (flashimg_profile.c) ------------------------------ */

/* A device (docs/architecture.md §5): one small key = value text file.
** Layout keys hold PTAB_UNSET for "auto"; spiffs_size may be PTAB_ALL. */
typedef struct flashimg_profile {
    char name[64];
    char chip[16];          /* "esp8266"                                 */
    uint32_t flash_size;    /* bytes: 1M, 2M, 4M, 8M or 16M              */
    int flash_mode;         /* enum esphdr_mode or ESPHDR_KEEP           */
    int flash_freq;         /* enum esphdr_freq or ESPHDR_KEEP           */
    uint32_t heap_size;     /* bytes, for the simulator                  */
    int dialect;            /* 51 or 53                                  */
    int integral;           /* 5.1: 1 integer build, 0 float             */
    int int64;              /* 5.3: 1 for LUA_NUMBER_64BITS              */
    uint32_t lfs_addr, lfs_size;        /* LFS0 partition               */
    uint32_t spiffs_addr, spiffs_size;  /* SPIFFS0 partition            */
    unsigned layout_set;    /* bit k: layout key k (lfs_addr, lfs_size,
                               spiffs_addr, spiffs_size) given in a file */
    int builtin;            /* the built-in esp8266 profile              */
} flashimg_profile_t;

/* The built-in "esp8266" profile (firmware/plat.h plat_profile_esp8266):
** 4 MiB, LFS 0x80000 + 0x40000, SPIFFS all that follows, Lua 5.1 float. */
void flashimg_profile_default(flashimg_profile_t *p);
/* "esp8266" (built-in) or a profile file; keys not in the file keep the
** built-in values. Errors name the file and line. */
int flashimg_profile_load(const char *arg, flashimg_profile_t *p,
                          lfs_diag_t *d);
int flashimg_profile_parse(const char *text, size_t n, flashimg_profile_t *p,
                           lfs_diag_t *d);
/* The profile in its file form. */
void flashimg_profile_write(const flashimg_profile_t *p, lfs_buf_t *out);

/* "262144", "0x40000", "256K", "4M", "4MB": 0 ok, -1 bad. */
int flashimg_parse_num(const char *s, uint32_t *out);

/* ---- LFS partitions (flashimg_lfs.c) ---------------------------------- */

/* What an LFS input turned into. */
typedef struct flashimg_lfs_info {
    int dialect;            /* 51 or 53                                  */
    int relocatable;        /* the input was a relocatable image         */
    int integral;           /* 5.1 integer build / 5.3 int64             */
    int nmodules;
    uint32_t image_size;    /* bytes written into the partition          */
} flashimg_lfs_info_t;

/* Turn an LFS file into the bytes for a partition at flash lfs_addr of
** lfs_size bytes, as the firmware would hold them: a 5.1 relocatable
** image is inflated, validated and relocated (4v + 0x40200000 + lfs_addr,
** bitmap dropped, signature as in the file: bit 0 clear); a 5.3 image
** stream becomes the flash region the loader builds; an absolute image
** is validated and must be built for this partition. The profile's
** dialect and number type must match. */
int flashimg_lfs_prepare(const uint8_t *file, size_t n,
                         const flashimg_profile_t *prof, uint32_t lfs_addr,
                         uint32_t lfs_size, lfs_buf_t *out,
                         flashimg_lfs_info_t *info, lfs_diag_t *d);
/* Describe the LFS partition [addr, addr + size) of which avail bytes are
** present at p: appends lines to out. 0: fine or empty; else a negative
** code with the problem in d. */
int flashimg_lfs_describe(const uint8_t *p, size_t avail, uint32_t addr,
                          uint32_t size, lfs_buf_t *out, lfs_diag_t *d);
/* Bytes of the image in the partition (its header's flash_size). */
int flashimg_lfs_extent(const uint8_t *p, size_t avail, uint32_t size,
                        uint32_t *len, lfs_diag_t *d);

/* ---- SPIFFS partitions (flashimg_spiffs.c) ---------------------------- */

/* Build a file system of fs_size bytes (the firmware's block size) into
** buf from every regular file under dir (names relative to dir); none of
** them may be the file out (the run's output). */
int flashimg_spiffs_build(const char *dir, const char *out, uint8_t *buf,
                          uint32_t fs_size, lfs_diag_t *d);
/* Check a SPIFFS image for a file-system region of fs_size bytes: a whole
** number of the firmware's blocks, no larger, and the firmware's probe
** finds exactly the image. */
int flashimg_spiffs_check(const uint8_t *img, size_t n, uint32_t fs_size,
                          lfs_diag_t *d);
/* The file-system size the firmware finds at p (avail bytes present) in
** a region of fs_size bytes: 0 with *len = 0 when erased. */
int flashimg_spiffs_extent(const uint8_t *p, size_t avail, uint32_t fs_size,
                           uint32_t *len, lfs_diag_t *d);
/* Store root/rel in the mounted fs: a regular file under the name rel, or
** every regular file under the directory root/rel (names relative to
** root; rel "." for all of root). One "put NAME (N bytes)" line per file
** into report. */
int flashimg_spiffs_put(spiffs_t *fs, const char *root, const char *rel,
                        lfs_buf_t *report, lfs_diag_t *d);
/* Describe (list) the file system; like flashimg_lfs_describe. */
int flashimg_spiffs_describe(const uint8_t *p, size_t avail,
                             uint32_t fs_addr, uint32_t fs_size,
                             lfs_buf_t *out, lfs_diag_t *d);

/* ---- inspect (flashimg_inspect.c) ------------------------------------- */

/* Everything about a flash image or dump, as text into out. A problem in
** one part (LFS, SPIFFS) is appended to problems as one line ("what; what
** to do\n") and counted; the return value is that count (>= 0), or a
** negative code when the image cannot be read at all (d says why).
** flash_size 0: the header's size byte decides. */
int flashimg_inspect(const uint8_t *p, size_t n, uint32_t flash_size,
                     lfs_buf_t *out, lfs_buf_t *problems, lfs_diag_t *d);

/* ---- subcommands and messages ------------------------------------------ */

int flashimg_cmd_compose(int argc, char **argv);
int flashimg_cmd_inspect(int argc, char **argv);
int flashimg_cmd_extract(int argc, char **argv);
int flashimg_cmd_partition(int argc, char **argv);
int flashimg_cmd_ls(int argc, char **argv);
int flashimg_cmd_put(int argc, char **argv);
int flashimg_cmd_rm(int argc, char **argv);

/* "flashimg: msg; see flashimg --help" on stderr; returns 2. */
int flashimg_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* "flashimg: FILE: msg" (FILE may be NULL) on stderr; returns 1. */
int flashimg_err(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print a diagnostic as one line; returns 1 (2 for LFS_EUSAGE). */
int flashimg_report(const lfs_diag_t *d);
/* Refuse the output out when it is the input in (NULL: none): the same
** file, also through links. Prints the error and returns 1, else 0. */
int flashimg_check_output(const char *out, const char *in);
/* Read a whole input file (at most max bytes); prints the error. */
int flashimg_read_file(const char *path, size_t max, uint8_t **data,
                       size_t *len);

#endif
