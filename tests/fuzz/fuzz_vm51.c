/*
** tests/fuzz/fuzz_vm51.c: libFuzzer target for the firmware VM's .lc
** loader (firmware/vm51_undump.c): the input is loaded as target .lc
** bytes into a float or an integer VM (the header's integral byte
** chooses) on a small heap; loading must succeed or fail with "...
** precompiled chunk", never crash or overrun; whatever loads must dump
** (vm_dump), load again and dump to the same bytes. Loaded chunks are not
** run (verified code may still loop forever).
** Spec: docs/lfs51.md §3.9; lfs/lc51.h. Twin: none. May call: firmware/vm.h,
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

#include "firmware/plat/plat.h"
#include "firmware/lib/lib.h"
#include "firmware/vm/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct sink {
    uint8_t *p;
    size_t n, cap;
} sink_t;

static int collect(vm_State *L, const void *p, size_t sz, void *ud)
{
    sink_t *k = ud;
    (void)L;
    if (k->n + sz > k->cap) {
        size_t nc = (k->n + sz) * 2;
        uint8_t *np = realloc(k->p, nc);
        if (!np)
            return 1;
        k->p = np;
        k->cap = nc;
    }
    memcpy(k->p + k->n, p, sz);
    k->n += sz;
    return 0;
}

/* The function on top dumped into *k (0 on success). */
static int dump(vm_State *L, sink_t *k)
{
    k->n = 0;
    return vm_dump(L, collect, k);
}

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
    vc.libs = lib_openers;
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
        if (st == 0) {
            /* round trip: dump, load, dump again: the same bytes */
            sink_t a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
            if (dump(L, &a) == 0 &&
                vm_loadbuffer(L, (const char *)a.p, a.n, "=again") == 0) {
                if (dump(L, &b) != 0 || a.n != b.n ||
                    memcmp(a.p, b.p, a.n) != 0)
                    abort();
            }
            free(a.p);
            free(b.p);
        }
        vm_settop(L, 0);
        vm_gc(L, VM_GCCOLLECT, 0);
    }
    vm_close(L);
    return 0;
}
