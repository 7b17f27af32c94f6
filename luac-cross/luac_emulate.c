/*
** luac_emulate.c: luac.cross -F IMAGE -e FILE, NodeMCU's host emulation of
** LFS (docs/lfs53.md §8) done with our firmware VM: the image goes into the
** simulated device's flash as the firmware would hold it and FILE runs
** there, its source compiled by the host compiler. Unlike NodeMCU's tool,
** the run really happens and the exit status is the script's.
** May call: firmware/sim_host (the simulated device), luac_front, lfs/.
*/
#include "luac-cross/luac.h"

#include <stdio.h>
#include <stdlib.h>

#include "firmware/host/sim_host.h"
#include "lfs/lfs_file.h"
#include "luac-cross/luac_front.h"

int luac_emulate(const char *image, const char *script)
{
    lfs_diag_t d;
    lfs_diag_init(&d, image);
    if (luac_is_lua53(image)) {
        fprintf(stderr, "%s: %s: a Lua 5.3 image; running 5.3 images needs"
                " the 5.3 firmware VM, which is not built yet\n", LUAC_PROG,
                image);
        return 1;
    }
    luac_front_t *fe = luac_front_open(LUAC_LUA51, &d);
    if (!fe) {
        char line[700];
        lfs_diag_format(&d, LUAC_PROG, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 1;
    }
    sim_opts_t o = { LUAC_PROG, image, 0, 0, 0, luac_vm_compile51, fe };
    vm_State *L;
    int rc = sim_boot(&o, &L);
    if (rc == 0) {
        rc = sim_dofile(L, LUAC_PROG, script, 0, NULL);
        sim_shutdown(L);
    }
    luac_front_close(fe);
    return rc;
}
