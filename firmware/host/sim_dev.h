/*
** sim_dev.h: the simulated NodeMCU device booting a whole flash image file
** (nodemcu-sim --flash), as release firmware boots: esptool header and
** partition table, SPIFFS mounted (formatted when it does not mount), a
** pending LFS reload finished, LFS mapped (or refused, with the
** firmware's console line), init.lua run from SPIFFS, then the event loop
** (posted tasks, timers, console input) until nothing can happen, a time
** limit, a power cut, or a stop request (a signal); node.restart and
** node.LFS.reload boot again from the same flash. Every flash erase and
** write goes through to the file as it happens, so the file is the flash
** whenever the run ends, however it ends.
** Spec: docs/flash-layout.md §1-§3, docs/spiffs.md §1.18, docs/lfs51.md §5.
** Twin: sim_dev_host.c (host only). May call: plat, ldr51, ldr_safe, the
** libraries' seams (lib_node.h, lib_file.h, lib_tmr.h, lib_uart.h), vm.h,
** flashimg/ptab and esphdr readers, the SPIFFS library, lfs/ readers, libc,
** POSIX.
*/
#ifndef SIM_DEV_H
#define SIM_DEV_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/vm/vm.h"

typedef struct sim_dev_opts {
    const char *prog;          /* program name for messages               */
    const char *flash;         /* the flash image file (read and written) */
    uint32_t heap_size;        /* 0: the profile's 44 KiB                 */
    int gc_stress;             /* a full collection at every allocation   */
    int integral;              /* the build when flash holds no LFS image
                                  (else the image's signature decides)    */
    vm_compiler compile;       /* host source compiler, or NULL           */
    void *compile_ud;
    uint32_t timeout_ms;       /* stop after this much device time; 0:
                                  run until nothing can happen             */
    int reboots;               /* restarts allowed; the next one stops    */
    int32_t power_cut;         /* cut the power after this many flash
                                  erases and writes (all boots); < 0 never */
    int banner;                /* print NodeMCU's boot banner             */
    const char *const *lines;  /* console input, in order, first boot     */
    int nlines;
    int input_fd;              /* then lines read from this fd; -1: none  */
    int interactive;           /* input_fd is a terminal: prompt "> ",
                                  device time follows the host's clock    */
    /* console output; NULL: stdout */
    void (*write)(void *ud, const char *s, size_t n);
    void *write_ud;
    /* Nonzero (set by a signal handler): stop the run at the next event,
    ** console output or console input, as SIM_DEV_STOPPED. NULL: never.
    ** Reading the console is a poll, which a signal interrupts. */
    const volatile sig_atomic_t *stop;
} sim_dev_opts_t;

/* How a run ended. */
enum sim_dev_end {
    SIM_DEV_IDLE = 0,          /* no timer, task or input left            */
    SIM_DEV_TIMEOUT,           /* timeout_ms reached                      */
    SIM_DEV_REBOOTS,           /* a restart beyond opts.reboots           */
    SIM_DEV_POWER,             /* the power cut                           */
    SIM_DEV_STOPPED,           /* *opts.stop was set                      */
    SIM_DEV_FAILED             /* bad image or a simulator error          */
};

typedef struct sim_dev_stats {
    int end;                   /* enum sim_dev_end                        */
    uint32_t boots;            /* boots run                               */
    uint32_t erases, writes;   /* flash operations of the run (sectors
                                  erased, writes)                          */
    uint64_t device_us;        /* device time of all boots                */
    uint32_t heap_peak;        /* highest heap use of any boot (bytes)    */
    double boot_ms;            /* host time from the start to the first
                                  Lua instruction (init.lua) of boot 1    */
    int reloads;               /* LFS reloads that wrote (or would have)  */
    uint32_t reload_sectors;   /* the last one: sectors of the image,     */
    uint32_t reload_erased;    /*   erased,                               */
    uint32_t reload_written;   /*   written,                              */
    uint32_t reload_unchanged; /*   left alone                            */
    double reload_ms;          /*   and its host time (both passes)       */
} sim_dev_stats_t;

/* Run the device. 0: the run ended (stats->end says how); 1: a bad flash
** image or a simulator error (one line "prog: FILE: what; what to do" on
** stderr); 2: bad option values (the heap). st may be NULL. */
int sim_dev_run(const sim_dev_opts_t *o, sim_dev_stats_t *st);

#endif
