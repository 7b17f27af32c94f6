/*
** tests/test_vm51_alloc.c: heap exhaustion at every allocation, as Lua's
** own test library does it (ltests.c failnext): vm_mem_failat(k) fails
** the k-th allocation of a run, for k = 1, 2, ... until a run makes fewer
** than k allocations. Start-up (vm_open) must return NULL or a VM that
** works; every vector program of tests/vectors/src/lua51, loaded from its
** NodeMCU .lc file and run, must end in a catchable "not enough memory"
** (status VM_ERRMEM, or caught by the program's own pcall), or succeed
** with its exact output where the failed allocation was one the VM can do
** without (a string table or stack that does not grow); and the VM must
** stay usable: after a full collection the same program runs again in the
** same VM and prints exactly its .out file. A stack or call-info vector
** that cannot grow is reported as "stack overflow" (firmware/vm/vm_do.c:
** lua5.1's words for runaway recursion, which on the device always ends
** there), so that message counts as the memory error too. Source chunks
** (bigmod's loadstring) are compiled in-process by the host compiler, as
** nodemcu-sim does. The ASan build runs
** this file too, so a corrupted arena or a leaked anchor is reported.
** Docs: docs/architecture.md §3 (the memory model). Twin: none (tests
** firmware/vm/vm_mem.c and every allocation site of the VM).
** May call: anything.
*/
#include "firmware/lib/lib.h"
#include "firmware/plat/plat.h"
#include "firmware/vm/vm.h"
#include "lfs/lfs_diag.h"
#include "luac-cross/luac_front.h"
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static luac_front_t *front;    /* the host compiler, opened once */
static th_buf_t cap;           /* captured console output */

static void cap_write(void *ud, const char *s, size_t n)
{
    (void)ud;
    th_buf_add(&cap, s, n);
}

/* A fresh device with an 80 KiB heap (what the vector programs need, as
** in test_vm51_core) and no LFS, and a VM over it. */
static vm_State *boot(void)
{
    plat_config_t pc = { 0, 81920 };
    vm_config vc;
    plat_deinit();
    if (plat_init(&pc))
        return NULL;
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.write = cap_write;
    if (!front) {
        lfs_diag_t d;
        lfs_diag_init(&d, NULL);
        front = luac_front_open(LUAC_LUA51, &d);
    }
    vc.compile = front ? luac_vm_compile51 : NULL;
    vc.compile_ud = front;
    th_buf_reset(&cap);
    return vm_open(&vc);
}

/* Load the .lc bytes and run them; the status, with the error message
** (or "") in msg. */
static int run_lc(vm_State *L, const uint8_t *lc, size_t n, const char *name,
                  char *msg, size_t nmsg)
{
    int st = vm_loadbuffer(L, (const char *)lc, n, name);
    if (st == 0)
        st = vm_pcall(L, 0, 0, 0);
    msg[0] = 0;
    if (st) {
        const char *m = vm_tostring(L, -1);
        snprintf(msg, nmsg, "%s", m ? m : "(not a string)");
        vm_pop(L, 1);
    }
    return st;
}

TEST(test_vm51_alloc_startup)
{
    vm_State *L = boot();
    CHECK(L, "vm_open failed with no failure armed");
    uint32_t total = vm_mem_count();
    vm_close(L);
    CHECK(total > 10, "vm_open made only %u allocations", total);
    uint32_t refused = 0;
    for (uint32_t k = 1; k <= total; k++) {
        vm_mem_failat(k);
        L = boot();
        vm_mem_failat(0);
        if (!L) {
            refused++;
            continue;
        }
        char msg[256];
        size_t n;
        snprintf(msg, sizeof msg, "%s/lfs51/hello.lc", th_vectors());
        uint8_t *lc = th_read_file(msg, &n);
        CHECK(lc, "cannot read %s", msg);
        int st = run_lc(L, lc, n, "@hello.lua", msg, sizeof msg);
        free(lc);
        CHECK(st == 0 && strstr(cap.p, "hello"), "allocation %u of %u "
              "failed: the VM that vm_open returned does not run hello: "
              "%s", k, total, msg);
        vm_close(L);
    }
    CHECK(refused > total / 2, "vm_open refused only %u of %u failures",
          refused, total);
    L = boot();
    CHECK(L, "vm_open fails after the failures");
    vm_close(L);
}

static const char *const programs[] = {
    "hello", "closures", "varargs", "nest4", "manyk", "longstr", "numedge",
    "fields", "meta", "strlib", "bigmod", "control", NULL
};

/* The memory error: "not enough memory", or "stack overflow" when a
** stack could not grow (see the header). */
static int memerr(const char *msg)
{
    return strstr(msg, "not enough memory") || strstr(msg, "stack overflow");
}

/* Programs that may see the memory error as a value and go on: their
** own pcall catches it, or loadstring returns it (bigmod then fails on
** setfenv(nil, ...): a Lua error of the program, not of the VM). */
static int catches(const char *name)
{
    return !strcmp(name, "bigmod") || !strcmp(name, "control") ||
           !strcmp(name, "meta");
}

static void walk(const char *name)
{
    char path[512], msg[256];
    size_t n, nwant;
    snprintf(path, sizeof path, "%s/lfs51/%s.lc", th_vectors(), name);
    uint8_t *lc = th_read_file(path, &n);
    snprintf(path, sizeof path, "%s/src/lua51/%s.out", th_vectors(), name);
    uint8_t *want = th_read_file(path, &nwant);
    char chunk[64];
    snprintf(chunk, sizeof chunk, "@%s.lua", name);
    CHECK(lc && want, "cannot read %s's .lc or .out", name);
    uint32_t k = 1, runs = 0;
    for (;; k++) {
        vm_State *L = boot();
        CHECK(L, "vm_open failed");
        uint32_t c0 = vm_mem_count();
        vm_mem_failat(k);
        int st = run_lc(L, lc, n, chunk, msg, sizeof msg);
        int fired = vm_mem_count() - c0 >= k;
        vm_mem_failat(0);
        if (!fired) {
            CHECK(st == 0, "%s fails with no failure: %s", name, msg);
            CHECK(cap.len == nwant && !memcmp(cap.p, want, nwant),
                  "%s: output differs from its .out", name);
            vm_close(L);
            break;
        }
        runs++;
        int same = cap.len == nwant && !memcmp(cap.p, want, nwant);
        CHECK(st == VM_ERRMEM || (st == 0 && (same || catches(name))) ||
              (st == VM_ERRRUN && (catches(name) || memerr(msg))),
              "%s, allocation %u failing: status %d \"%s\"%s", name, k, st,
              msg, st == 0 ? " and other output" : "");
        vm_gc(L, VM_GCCOLLECT, 0);
        th_buf_reset(&cap);
        st = run_lc(L, lc, n, chunk, msg, sizeof msg);
        CHECK(st == 0, "%s, after allocation %u failed: the rerun fails: "
              "%s", name, k, msg);
        CHECK(cap.len == nwant && !memcmp(cap.p, want, nwant),
              "%s, after allocation %u failed: the rerun prints other "
              "output", name, k);
        vm_close(L);
    }
    CHECK(runs > 0, "%s made no allocation", name);
    fprintf(stderr, "%s: %u allocations failed in turn\n", name, runs);
    free(lc);
    free(want);
}

#define PROGRAM(i)                                                       \
    TEST(test_vm51_alloc_program_##i) { if (programs[i]) walk(programs[i]); }
PROGRAM(0) PROGRAM(1) PROGRAM(2) PROGRAM(3) PROGRAM(4) PROGRAM(5)
PROGRAM(6) PROGRAM(7) PROGRAM(8) PROGRAM(9) PROGRAM(10) PROGRAM(11)
