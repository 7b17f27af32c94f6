/*
** sim_host.h: the simulated device on the host, shared by nodemcu-sim and
** luac.cross -F: the platform (plat_init with the ESP8266 profile), an LFS
** image file put into the simulated flash as the firmware would hold it
** (a relocatable .img through node.LFS.reload's own two passes, an
** absolute -a image as esptool writes it), the boot check, the VM, and
** running chunks with Lua's stand-alone error reporting.
** Spec: docs/lfs51.md §4 (file forms), §5.1 (boot). Twin: none (host only; the
** target's entry is firmware/esp8266/). May call: plat, ldr51, vm.h,
** lfs/lfs_file, libc.
*/
#ifndef SIM_HOST_H
#define SIM_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "firmware/vm/vm.h"

typedef struct sim_opts {
    const char *prog;        /* program name for messages                  */
    const char *lfs_image;   /* LFS image file, or NULL                    */
    uint32_t heap_size;      /* 0: the profile's 44 KiB                    */
    int gc_stress;           /* a full collection at every allocation      */
    int integral;            /* without an image: 1 integer VM, 0 float;
                                with one, the image's signature decides    */
    vm_compiler compile;     /* host source compiler, or NULL              */
    void *compile_ud;
} sim_opts_t;

/* Boot the device: 0 and *L, or 1 (bad input: the image) / 2 (bad
** option values) after printing one line "prog: what; what to do". */
int sim_boot(const sim_opts_t *o, vm_State **L);
void sim_shutdown(vm_State *L);

/* Run a statement string (chunk name "=(command line)") or a file (.lua
** with the host compiler, or .lc) with args as ...; on error print
** "prog: message" and the traceback on stderr, as lua5.1 does.
** Returns 0 or 1. */
int sim_dostring(vm_State *L, const char *prog, const char *stat);
int sim_dofile(vm_State *L, const char *prog, const char *path, int argc,
               char **argv);

#endif
