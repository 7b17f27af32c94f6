/*
** tests/lfs_modules.h: run every module of the LFS a VM has mapped, as
** node.LFS.list and node.LFS.get reach them, for the tests and fuzzers that
** boot corrupt images (tests/test_lfs51_corrupt.c, tests/fuzz/
** fuzz_lfsmap.c). Call it through vm_cpcall: the index and the modules
** run protected, so their Lua errors are only errors.
** Docs: docs/lfs51.md §5.3 (run-time use). Twin: none. May call:
** firmware/vm/vm.h, libc.
*/
#ifndef LFS_MODULES_H
#define LFS_MODULES_H

#include <stdio.h>
#include <string.h>

#include "firmware/vm/vm.h"
#include "lfs/lfs51.h"

/* A vm_CFunction: call the index for its name list, then each module. */
static inline int lfs_modules_run(vm_State *L)
{
    vm_pushlfsindex(L);
    if (vm_pcall(L, 0, 2, 0) != 0 || vm_type(L, -1) != VM_TTABLE)
        return 0;
    int n = (int)vm_objlen(L, -1);
    for (int i = 1; i <= n && i <= LFS51_MAXMODULES; i++) {
        char name[256] = "";
        vm_rawgeti(L, -1, i);
        if (vm_type(L, -1) == VM_TSTRING)
            snprintf(name, sizeof name, "%s", vm_tostring(L, -1));
        vm_settop(L, -2);
        vm_pushlfsmodule(L, name);
        if (vm_type(L, -1) == VM_TFUNCTION)
            vm_pcall(L, 0, 0, 0);
        else
            vm_settop(L, -2);
    }
    return 0;
}

#endif
