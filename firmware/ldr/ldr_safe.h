/*
** ldr_safe.h: node.LFS.reload that never leaves the device without an
** LFS while the image file is on SPIFFS: NodeMCU's two passes (ldr51) in
** their incremental form, with the reload recorded on SPIFFS before the
** first flash write and finished at the next boot when a power cut
** interrupted it. Nothing here prints or longjmps; a power cut on the
** host shows as LDR51_EFLASH (the simulator stops the device there).
** Spec: docs/lfs51.md §5.2 (reload), §5.1 (boot check), docs/spiffs.md §1.18
** (the FS). Twin: none. May call: ldr51, plat, plat_fs (SPIFFS through its
** table), libc.
**
** The pending record: a file RECORD on SPIFFS holding one line
** "LFSRELOAD <float|int> <image name>\n", written after pass 1 and the
** compare pass have accepted the image and before pass 2 touches flash,
** and removed after pass 2. A record that does not parse (a cut while it
** was being written or removed) is removed and ignored: it was not
** complete before pass 2 began, so flash still holds what it held.
**
** Boot (ldr_safe_resume, before the LFS boot check): a complete record
** naming an existing file makes the loader run the reload again from that
** file, whatever the partition holds: an interrupted pass 2 (IN_PROGRESS
** or erased header, half-written sectors) is finished, rewriting only the
** sectors not yet right; an image already complete costs no flash write;
** a reload that had not begun is done now. Then the record is removed. A
** cut during any of this leaves the record in place for the next boot.
** The only ways to an empty LFS are NodeMCU's: the file changing between
** the passes (pass 2 then erases the partition), or a file that no longer
** passes pass 1 at boot.
*/
#ifndef LDR_SAFE_H
#define LDR_SAFE_H

#include <stdint.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/plat/plat_fs.h"

#define LDR_SAFE_RECORD   ".lfsreload"    /* the pending-reload record   */
#define LDR_SAFE_TAG      "LFSRELOAD"
#define LDR_SAFE_MSG_RECORD "Cannot record the LFS reload on SPIFFS"

/* What a reload needs. cfg: the partition, the build and the work-memory
** allocator (incremental is forced on); fs: the mounted file system
** (NULL: every file is "not found"). */
typedef struct ldr_safe {
    ldr51_cfg_t cfg;
    const plat_fs_t *fs;
} ldr_safe_t;

/* How it went. */
typedef struct ldr_safe_result {
    int code;               /* 0 or an LDR51_E* code                      */
    int flash_touched;      /* 0: nothing was written (a pass-1 failure is
                               returned to Lua); 1: pass 2 ran, the device
                               restarts after printing msg               */
    int integral;           /* the build the reload used (resume: the
                               record's)                                  */
    char name[SPIFFS_NAME_LEN + 1];   /* the image file                   */
    char msg[LDR51_MSG_SIZE];        /* the firmware's text               */
    char detail[LDR51_DETAIL_SIZE];  /* ldr51's diagnostic, or ""         */
    uint32_t nsectors;      /* sectors the image covers                   */
    uint32_t erased;        /* ... erased by pass 2                       */
    uint32_t written;       /* ... written                                */
    uint32_t unchanged;     /* ... left alone                             */
} ldr_safe_result_t;

/* node.LFS.reload(name). Pass 1 and the compare pass; on failure
** flash_touched is 0 and msg is the string for Lua. Then, unless the
** image is already in flash, the record, pass 2, the record removed.
** With flash_touched 1 (or code 0) the caller prints msg and restarts.
** A record that cannot be written (SPIFFS full) fails the reload before
** flash is touched: LDR51_EFILE, LDR_SAFE_MSG_RECORD. */
int ldr_safe_reload(const ldr_safe_t *s, const char *name,
                    ldr_safe_result_t *res);

/* Boot: finish a pending reload. 0: no record (res untouched); 1: a record
** was handled (res says how: code 0 with the sector counts, or the
** failure; a record that did not parse gives LDR51_EFILE and an empty
** name). */
int ldr_safe_resume(const ldr_safe_t *s, ldr_safe_result_t *res);


#endif
