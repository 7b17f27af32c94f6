/*
** tests/fuzz/fuzz_vm51.c: libFuzzer target for the firmware VM's .lc
** loader (firmware/vm51_undump.c): the input is loaded as target .lc
** bytes into a float or an integer VM (the header's integral byte
** chooses) on a small heap; loading must succeed or fail with "...
** precompiled chunk", never crash or overrun. Loaded chunks are not run
** (verified code may still loop forever).
** Spec: lfs51.md §3.9; lfs/lc51.h. Twin: none. May call: firmware/vm.h,
** plat, libc.
*/
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
/* Seed files for tools/run-fuzz.sh, relative to the vectors folder:
# seeds: lfs51/hello.lc lfs51/closures.lc lfs51/control.int.lc lfs51/hello.s.lc
*/
#pragma GCC diagnostic pop

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/plat.h"
#include "firmware/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ud, const char *s, size_t n)
{
    (void)ud;
    (void)s;
    (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int up;
    plat_config_t pc = { 0, 0x8000 };
    vm_config vc;
    if (!up) {
        if (plat_init(&pc))
            abort();
        up = 1;
    }
    memset(&vc, 0, sizeof vc);
    vc.integral = size > 11 && data[11] == 1;
    vc.write = quiet;
    vm_State *L = vm_open(&vc);
    if (!L)
        abort();
    /* binary chunks only: source would need a compiler */
    if (size > 0 && data[0] == 0x1B) {
        int st = vm_loadbuffer(L, (const char *)data, size, "=fuzz");
        if (st != 0 && st != VM_ERRSYNTAX && st != VM_ERRMEM)
            abort();
        if (st == VM_ERRSYNTAX &&
            !strstr(vm_tostring(L, -1), "precompiled chunk"))
            abort();
        vm_settop(L, 0);
        vm_gc(L, VM_GCCOLLECT, 0);
    }
    vm_close(L);
    return 0;
}
