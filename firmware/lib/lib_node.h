/*
** lib_node.h: the node library's seams to what runs the VM (the host
** simulator, later the target's startup): node.LFS.reload and
** node.restart, which leave the VM, the chip's identity, the partition
** table and the boot reason; and node.task.post's queue, which the event
** loop empties between callbacks. One device per process, as plat: the
** hooks are process-wide.
** Spec: docs/lfs51.md §5.2 (reload), §8 (node.LFS). Twin: lib_node.c.
** May call: vm.h.
*/
#ifndef LIB_NODE_H
#define LIB_NODE_H

#include <stdint.h>

#include "firmware/vm/vm.h"

typedef struct lib_node_hooks {
    /* node.LFS.reload(file), node.flashreload(file): a pass-1 failure
    ** pushes its message and returns 1 (docs/lfs51.md §5.2); success reboots
    ** and does not return. NULL: reload returns "not supported in this
    ** build". */
    int (*reload)(vm_State *L, const char *file);
    /* node.restart(): the device restarts; the hook may return (then
    ** restart returns its results and the caller's code runs on until it
    ** gives control back, as on the device) or not. NULL: restart raises
    ** "not supported in this build". */
    int (*restart)(vm_State *L);
    uint32_t chip_id;   /* node.chipid(); 0: LIB_NODE_CHIP_ID             */
    uint32_t flash_id;  /* node.flashid(); 0: a Winbond id of the flash's
                           size (0x1640EF for 4 MiB)                      */
    /* node.getpartitiontable(): the SPIFFS partition (0, 0: none); the
    ** LFS partition comes from the VM (vm_lfsinfo). */
    uint32_t spiffs_addr, spiffs_size;
    /* node.bootreason()'s extended reason: LIB_NODE_BOOT_*. */
    int boot_reason;
} lib_node_hooks_t;

/* node.bootreason() extended reasons (the SDK's rst_info.reason). */
#define LIB_NODE_BOOT_POWER_ON    0
#define LIB_NODE_BOOT_HW_WDT      1
#define LIB_NODE_BOOT_EXCEPTION   2
#define LIB_NODE_BOOT_SW_WDT      3
#define LIB_NODE_BOOT_RESTART     4
#define LIB_NODE_BOOT_EXTERNAL    6

/* node.task.post priorities. */
#define LIB_NODE_TASK_LOW     0
#define LIB_NODE_TASK_MEDIUM  1
#define LIB_NODE_TASK_HIGH    2

#define LIB_NODE_CHIP_ID 0x00A1B2C3u   /* the simulated chip's id          */

/* Install the hooks (copied); NULL restores the defaults. */
void lib_node_sethooks(const lib_node_hooks_t *h);

/* The next posted task, highest priority first, in posting order within
** one: push its function and its priority and return 1 (the caller calls
** it with 1 argument, protected); 0 when none is queued. */
int lib_node_pushtask(vm_State *L);

#endif
