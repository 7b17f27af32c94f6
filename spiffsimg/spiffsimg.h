/*
** spiffsimg.h: what the spiffsimg command-line files share: messages,
** image load/save, sizes, directory walks and the two front ends (the
** everyday subcommands and NodeMCU's option/script interface).
** Spec: docs/spiffs.md §2 (NodeMCU's spiffsimg), §4 (traps). Twin: none.
** May call: the SPIFFS library, lfs/lfs_file.h, lfs/lfs_diag.h, libc.
*/
#ifndef SPIFFSIMG_H
#define SPIFFSIMG_H

#include <stddef.h>
#include <stdint.h>

#include "spiffs/spiffs.h"

#define SPIFFSIMG_VERSION   "1.0.0"
#define SPIFFSIMG_MAX_IMAGE (16u * 1024 * 1024)

/* Exit codes. */
enum { SPIFFSIMG_OK = 0, SPIFFSIMG_BAD_INPUT = 1, SPIFFSIMG_USAGE = 2 };

/* "spiffsimg: FILE: msg" (FILE may be NULL) on stderr. */
void spiffsimg_err(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An image held in RAM and mounted through the RAM backend. */
typedef struct spiffsimg_image {
    const char *path;
    uint8_t *buf;
    uint32_t size;
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
} spiffsimg_image_t;

/* Load and mount `path`; block_size 0 = detect from the magics. With
** force, an unmountable image is still opened (for fsck). Prints the
** error and returns SPIFFSIMG_BAD_INPUT on failure. */
int spiffsimg_load(spiffsimg_image_t *im, const char *path,
                   uint32_t block_size, int force);
/* A fresh formatted image of `size` bytes (block_size 0 = firmware's). */
int spiffsimg_new(spiffsimg_image_t *im, const char *path, uint32_t size,
                  uint32_t block_size);
/* Write the image atomically; prints the error. */
int spiffsimg_save(spiffsimg_image_t *im);
void spiffsimg_free(spiffsimg_image_t *im);

/* "262144", "0x40000", "256k", "1M" (bytes); 0 ok, -1 bad. */
int spiffsimg_parse_size(const char *s, uint32_t *out);

/* A host file to store: its name in the image and its host path. */
typedef struct spiffsimg_entry {
    char *name;
    char *path;
    uint64_t size;
} spiffsimg_entry_t;
typedef struct spiffsimg_list {
    spiffsimg_entry_t *v;
    size_t n, cap;
} spiffsimg_list_t;

/* Add `rel` under `root` (a file, or a directory walked recursively, in
** name order). Non-regular files are skipped with a warning; a bad name
** prints an error and returns SPIFFSIMG_BAD_INPUT. */
int spiffsimg_collect(spiffsimg_list_t *l, const char *root,
                      const char *rel);
void spiffsimg_list_free(spiffsimg_list_t *l);
/* Why `name` is no safe relative host path, or NULL: it is empty,
** starts with '/' or has an empty, "." or ".." part. extract refuses
** such a file; build, add and import refuse to store one. */
const char *spiffsimg_name_unsafe(const char *name);
/* Check a name to store: spiffsimg_name_unsafe, then at most 31 bytes;
** prints "FILE: ..." and returns non-zero when it fails. */
int spiffsimg_name_bad(const char *file, const char *name);
/* `name` on one line, for listings and messages: '\\' as "\\\\", newline,
** tab and return as \n \t \r, other bytes below 0x20 and 0x7f as \xNN;
** cut to fit `size` (SPIFFSIMG_SHOW_SIZE holds any name of an image).
** Returns buf. */
#define SPIFFSIMG_SHOW_SIZE (4 * (SPIFFS_NAME_MAX + 1) + 1)
const char *spiffsimg_name_show(const char *name, char *buf, size_t size);
/* Store the listed files into im (replacing same names) after checking
** that none of them is the image file and that all of them fit; prints
** the error. */
int spiffsimg_store(spiffsimg_image_t *im, spiffsimg_list_t *l);

/* Refuse the output `out` when it is the input `in` (the same file, also
** through links): prints "OUT: is also the input IN; ..." and returns
** SPIFFSIMG_BAD_INPUT, else 0. */
int spiffsimg_check_output(const char *out, const char *in);

/* A diagnostic line for a library error on `file`. */
void spiffsimg_lib_err(const char *file, int err, const char *what);

/* NodeMCU-compatible front end (spiffsimg_compat.c). */
int spiffsimg_compat_main(int argc, char **argv);

#endif
