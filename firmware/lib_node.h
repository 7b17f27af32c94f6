/*
** lib_node.h: the node library's seams to what runs the VM (the host
** simulator, later the target's startup): node.LFS.reload and
** node.restart, which leave the VM, and the chip's identity. One device
** per process, as plat: the hooks are process-wide.
** Spec: lfs51.md §5.2 (reload), §8 (node.LFS). Twin: lib_node.c.
** May call: vm.h.
*/
#ifndef LIB_NODE_H
#define LIB_NODE_H

#include <stdint.h>

#include "firmware/vm.h"

typedef struct lib_node_hooks {
    /* node.LFS.reload(file), node.flashreload(file): a pass-1 failure
    ** pushes its message and returns 1 (lfs51.md §5.2); success reboots
    ** and does not return. NULL: reload returns "not supported in this
    ** build". */
    int (*reload)(vm_State *L, const char *file);
    /* node.restart(): does not return. NULL: restart raises "not
    ** supported in this build". */
    int (*restart)(vm_State *L);
    uint32_t chip_id;   /* node.chipid(); 0: LIB_NODE_CHIP_ID             */
    uint32_t flash_id;  /* node.flashid(); 0: a Winbond id of the flash's
                           size (0x1640EF for 4 MiB)                      */
} lib_node_hooks_t;

#define LIB_NODE_CHIP_ID 0x00A1B2C3u   /* the simulated chip's id          */

/* Install the hooks (copied); NULL restores the defaults. */
void lib_node_sethooks(const lib_node_hooks_t *h);

#endif
