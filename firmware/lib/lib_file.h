/*
** lib_file.h: the file library's seam to the platform: the file system it
** works on (plat_fs.h), mounted by the platform before vm_open. One device
** per process, as plat: the setting is process-wide.
** Spec: docs/spiffs.md §1.17-§1.18. Twin: lib_file.c. May call: vm.h, plat_fs.
*/
#ifndef LIB_FILE_H
#define LIB_FILE_H

#include "firmware/plat/plat_fs.h"
#include "firmware/vm/vm.h"

/* The file system of the next vm_open (copied); NULL: none (file.open
** fails, file.list is empty, loadfile/dofile/require read host files as
** the plain VM does). With one, lib_file_open also makes loadfile,
** dofile and require's file searcher read it, as the firmware's do. */
void lib_file_setfs(const plat_fs_t *fs);
/* The file system lib_file_setfs installed, or NULL: what other libraries
** (crypto.fhash) read files through. */
const plat_fs_t *lib_file_fs(void);

/* Read a whole file of the file system into a malloc'd buffer: 0 and
** *data, *n; SPIFFS_ENOENT or another negative code. NULL fs: no FS. */
int lib_file_slurp(const plat_fs_t *fs, const char *name, char **data,
                   size_t *n);

#endif
