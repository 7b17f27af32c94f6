/*
** plat_fs.h: the file system the platform mounts at boot, as the file
** library (lib_file.c) and the never-brick LFS reload (ldr_safe.c) reach
** it: NodeMCU's SPIFFS (the SPIFFS library, spiffsimg/spiffs.h), through a
** table of its functions. The table is what lets a build without the
** SPIFFS library (luac.cross -F, the target until it links one) link the
** libraries: they call SPIFFS only through these pointers, which the
** platform fills (sim_dev_host.c on the host). Header only.
** Spec: docs/spiffs.md §1.18 (what the firmware mounts), §1.17 (capacity).
** Twin: none. May call: the SPIFFS library (types only here).
*/
#ifndef PLAT_FS_H
#define PLAT_FS_H

#include <stdint.h>

#include "spiffs/spiffs.h"

/* The SPIFFS library's functions, same signatures (spiffs.h). */
typedef struct plat_fs_ops {
    int (*stat)(spiffs_t *fs, const char *name, spiffs_stat_t *st);
    long (*read)(spiffs_t *fs, const char *name, uint32_t off, void *buf,
                 size_t n);
    int (*create)(spiffs_t *fs, const char *name);
    int (*append)(spiffs_t *fs, const char *name, const void *data,
                  size_t n);
    int (*write_file)(spiffs_t *fs, const char *name, const void *data,
                      size_t n);
    int (*rename)(spiffs_t *fs, const char *from, const char *to);
    int (*remove)(spiffs_t *fs, const char *name);
    int (*list)(spiffs_t *fs, spiffs_list_fn fn, void *ctx);
    int (*info)(spiffs_t *fs, uint32_t *total, uint32_t *used);
    /* file.format(): erase and format the whole region, then mount it
    ** again (the platform's, as it owns the geometry). */
    int (*format)(spiffs_t *fs);
} plat_fs_ops_t;

/* A mounted file system. */
typedef struct plat_fs {
    const plat_fs_ops_t *op;
    spiffs_t *fs;           /* the mounted SPIFFS                          */
    uint32_t addr;          /* flash offset of the FS region (file.fscfg)  */
    uint32_t size;          /* its size in bytes                           */
} plat_fs_t;

#endif
