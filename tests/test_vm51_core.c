/*
** tests/test_vm51_core.c: the firmware's Lua 5.1 VM core (firmware/vm.h):
** every vector program of tests/vectors/src/lua51 run from its NodeMCU
** LFS image and from its .lc file, float VM and integer VM (the *.int
** vectors; numedge and strlib print fractions and have none), the group
** image, images our own luac.cross builds, all of them again with a full
** collection at every allocation (gc_stress; the ASan build runs this
** file too); strings interned across RAM and the LFS ROstrt; a store to
** flash faulting; heap exhaustion as a catchable "not enough memory" in
** 8, 16 and 44 KiB arenas; weak tables, __gc order, finalizers that never
** nest; a stack overflow under a message handler; coroutines; error
** messages with positions; the integer VM's arithmetic; ROTables and
** light functions; hostile .lc bytes refused cleanly, and the VM's .lc
** rules and words beside those of the host tools' reader.
** Source chunks are compiled with luac.cross (BINDIR) through
** vm_config.compile.
** Spec: docs/lfs51.md §2, §3.9, §5.3-5.4; Lua 5.1 manual. Twin: none (tests
** firmware/vm*.c, lib_base.c, lib_coroutine.c). May call: anything.
*/
#include "firmware/lib/lib.h"
#include "firmware/vm/vm.h"
#include "tests/harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/plat/plat.h"
#include "lfs/lc51.h"

/* ---- fixtures ---------------------------------------------------------- */

static th_buf_t cap;           /* captured console output */

static void cap_write(void *ud, const char *s, size_t n)
{
    (void)ud;
    th_buf_add(&cap, s, n);
}

/* vm_compiler through luac.cross: source -> tmpdir/cc.lua -> cc.lc. */
static int compile_cb(void *ud, const char *src, size_t len,
                      const char *chunkname, int integral,
                      unsigned char **lc, size_t *lclen, char **err)
{
    char path[512], lcpath[512], errpath[512], cmd[2048];
    (void)ud;
    (void)chunkname;
    snprintf(path, sizeof path, "%s/cc.lua", th_tmpdir());
    snprintf(lcpath, sizeof lcpath, "%s/cc.lc", th_tmpdir());
    snprintf(errpath, sizeof errpath, "%s/cc.err", th_tmpdir());
    *lc = NULL;
    *err = NULL;
    if (th_write_file(path, src, len))
        goto fail;
    snprintf(cmd, sizeof cmd, "%s/luac.cross %s -o %s %s 2>%s",
             th_bindir(), integral ? "--target 5.1-int" : "", lcpath, path,
             errpath);
    if (system(cmd) != 0)
        goto fail;
    *lc = th_read_file(lcpath, lclen);
    return *lc ? 0 : 1;
fail: {
        size_t n = 0;
        uint8_t *e = th_read_file(errpath, &n);
        *err = malloc(n + 16);
        snprintf(*err, n + 16, "%.*s", (int)n, e ? (char *)e : "?");
        free(e);
        return 1;
    }
}

typedef struct boot {
    uint32_t heap;         /* 0: default 44 KiB */
    int integral;
    int stress;
    int nocompiler;
    const uint8_t *img;    /* relocatable LFS image, or NULL */
    size_t imglen;
} boot_t;

static char bootmsg[256];

/* A fresh device (plat, LFS loaded as node.LFS.reload does, boot check)
** and a VM over it; NULL with bootmsg set on failure. */
static vm_State *boot(const boot_t *b)
{
    plat_config_t pc = { 0, b->heap };
    ldr51_cfg_t c;
    ldr51_lfs_t lfs;
    vm_config vc;
    plat_deinit();
    bootmsg[0] = 0;
    if (plat_init(&pc)) {
        snprintf(bootmsg, sizeof bootmsg, "plat_init");
        return NULL;
    }
    memset(&c, 0, sizeof c);
    memset(&lfs, 0, sizeof lfs);
    c.lfs_addr = plat_profile_esp8266.lfs_addr;
    c.lfs_size = plat_profile_esp8266.lfs_size;
    c.integral = b->integral;
    if (b->img) {
        ldr51_file_t f;
        char msg[LDR51_MSG_SIZE];
        ldr51_file_mem(&f, b->img, (uint32_t)b->imglen);
        if (ldr51_reload(&c, &f, msg) != 0) {
            snprintf(bootmsg, sizeof bootmsg, "reload: %s", msg);
            return NULL;
        }
        if (ldr51_boot(&c, &lfs, msg) != 0) {
            snprintf(bootmsg, sizeof bootmsg, "boot: %s", msg);
            return NULL;
        }
    }
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.integral = b->integral;
    vc.gc_stress = b->stress;
    vc.write = cap_write;
    vc.compile = b->nocompiler ? NULL : compile_cb;
    vc.lfs_mapped = lfs.base;
    vc.lfs_base = c.lfs_addr;
    vc.lfs_size = c.lfs_size;
    th_buf_reset(&cap);
    vm_State *L = vm_open(&vc);
    if (!L)
        snprintf(bootmsg, sizeof bootmsg, "vm_open failed");
    return L;
}

static uint8_t *vecfile(const char *dir, const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", th_vectors(), dir, name);
    return th_read_file(path, n);
}

/* Call the function on top with no arguments; errors are appended to
** the output as "ERR: msg\n". Returns the status. */
static int run_top(vm_State *L)
{
    int st = vm_pcall(L, 0, 0, 0);
    if (st) {
        const char *m = vm_tostring(L, -1);
        char line[512];
        snprintf(line, sizeof line, "ERR: %s\n", m ? m : "(non-string)");
        cap_write(NULL, line, strlen(line));
        vm_pop(L, 1);
    }
    return st;
}

/* Run a source chunk (compiled by luac.cross); 0 on success. */
static int run_src(vm_State *L, const char *src, const char *name)
{
    int st = vm_loadbuffer(L, src, strlen(src), name);
    if (st) {
        const char *m = vm_tostring(L, -1);
        char line[1024];
        snprintf(line, sizeof line, "LOAD: %s\n", m ? m : "?");
        cap_write(NULL, line, strlen(line));
        vm_pop(L, 1);
        return st;
    }
    return run_top(L);
}

static const char *const vectors[] = {
    "hello", "closures", "varargs", "nest4", "manyk", "longstr", "numedge",
    "fields", "meta", "strlib", "bigmod", "control", NULL
};

static int has_int(const char *name)
{
    return strcmp(name, "numedge") != 0 && strcmp(name, "strlib") != 0;
}

/* Compare the captured output with src/lua51/<name>.out. */
static int same_as_out(const char *name, char *why, size_t nwhy)
{
    size_t n;
    char file[64];
    snprintf(file, sizeof file, "%s.out", name);
    uint8_t *want = vecfile("src/lua51", file, &n);
    if (!want) {
        snprintf(why, nwhy, "no %s", file);
        return 0;
    }
    long d = th_first_diff((const uint8_t *)cap.p, cap.len, want, n);
    if (d >= 0) {
        snprintf(why, nwhy, "%s: output differs at byte %ld: got \"%.60s\""
                 " want \"%.60s\"", name, d, cap.p + d,
                 (size_t)d < n ? (char *)want + d : "");
        free(want);
        return 0;
    }
    free(want);
    return 1;
}

/* ---- vector programs from LFS ------------------------------------------ */

static void lfs_vectors(int integral, int stress)
{
    char why[256];
    for (int i = 0; vectors[i]; i++) {
        const char *name = vectors[i];
        char file[64];
        size_t n;
        if (integral && !has_int(name))
            continue;
        snprintf(file, sizeof file, "%s%s.img", name,
                 integral ? ".int" : "");
        uint8_t *img = vecfile("lfs51", file, &n);
        CHECK(img, "no vector %s", file);
        boot_t b = { 0, integral, stress, 0, img, n };
        vm_State *L = boot(&b);
        CHECK(L, "%s: %s", file, bootmsg);
        vm_pushlfsmodule(L, name);
        CHECK(vm_type(L, -1) == VM_TFUNCTION, "%s: no module %s", file,
              name);
        run_top(L);
        int ok = same_as_out(name, why, sizeof why);
        vm_close(L);
        free(img);
        CHECK(ok, "%s%s: %s", integral ? "int " : "",
              stress ? "stress " : "", why);
    }
}

TEST(test_vm51_core_lfs_float)
{
    lfs_vectors(0, 0);
}

TEST(test_vm51_core_lfs_int)
{
    lfs_vectors(1, 0);
}

TEST(test_vm51_core_lfs_float_gc_stress)
{
    lfs_vectors(0, 1);
}

TEST(test_vm51_core_lfs_int_gc_stress)
{
    lfs_vectors(1, 1);
}

/* The group image: every module in one image, one VM. */
TEST(test_vm51_core_lfs_group)
{
    size_t n;
    uint8_t *img = vecfile("lfs51", "group.img", &n);
    CHECK(img, "no group.img");
    boot_t b = { 81920, 0, 0, 0, img, n };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    char why[256];
    for (int i = 0; vectors[i]; i++) {
        th_buf_reset(&cap);
        vm_pushlfsmodule(L, vectors[i]);
        CHECK(vm_type(L, -1) == VM_TFUNCTION, "no module %s", vectors[i]);
        run_top(L);
        CHECK(same_as_out(vectors[i], why, sizeof why), "%s", why);
        vm_gc(L, VM_GCCOLLECT, 0);
    }
    /* the index function without a name: (timestamp, names) */
    vm_pushlfsindex(L);
    CHECK(vm_pcall(L, 0, 2, 0) == 0, "index()");
    CHECK(vm_tonumber(L, -2) == 1700000000.0, "timestamp %g",
          vm_tonumber(L, -2));
    CHECK(vm_objlen(L, -1) == 12, "%d names", (int)vm_objlen(L, -1));
    vm_pushlfsmodule(L, "nosuchmodule");
    CHECK(vm_type(L, -1) == VM_TNIL, "missing module is not nil");
    vm_close(L);
    free(img);
}

/* ---- vector programs from .lc ------------------------------------------ */

static void lc_vectors(int integral, int stress)
{
    char why[256];
    for (int i = 0; vectors[i]; i++) {
        const char *name = vectors[i];
        char file[64];
        size_t n;
        if (integral && !has_int(name))
            continue;
        snprintf(file, sizeof file, "%s%s.lc", name, integral ? ".int" : "");
        uint8_t *lc = vecfile("lfs51", file, &n);
        CHECK(lc, "no vector %s", file);
        boot_t b = { 81920, integral, stress, 0, NULL, 0 };
        vm_State *L = boot(&b);
        CHECK(L, "%s: %s", file, bootmsg);
        char chunk[80];
        snprintf(chunk, sizeof chunk, "@%s.lua", name);
        int st = vm_loadbuffer(L, (const char *)lc, n, chunk);
        CHECK(st == 0, "%s: %s", file, vm_tostring(L, -1));
        run_top(L);
        int ok = same_as_out(name, why, sizeof why);
        vm_close(L);
        free(lc);
        CHECK(ok, "%s%s: %s", integral ? "int " : "", stress ? "stress " : "",
              why);
    }
}

TEST(test_vm51_core_lc_float)
{
    lc_vectors(0, 0);
}

TEST(test_vm51_core_lc_int)
{
    lc_vectors(1, 0);
}

TEST(test_vm51_core_lc_float_gc_stress)
{
    lc_vectors(0, 1);
}

/* Stripped .lc (no source, no line info): positions read "?:0:". */
TEST(test_vm51_core_lc_stripped)
{
    char why[256];
    const char *names[] = { "hello", "closures" };
    for (int i = 0; i < 2; i++) {
        char file[64];
        size_t n;
        snprintf(file, sizeof file, "%s.s.lc", names[i]);
        uint8_t *lc = vecfile("lfs51", file, &n);
        CHECK(lc, "no %s", file);
        boot_t b = { 0, 0, 0, 0, NULL, 0 };
        vm_State *L = boot(&b);
        CHECK(L, "%s", bootmsg);
        CHECK(vm_loadbuffer(L, (const char *)lc, n, "=x") == 0, "%s: %s",
              file, vm_tostring(L, -1));
        run_top(L);
        int ok = same_as_out(names[i], why, sizeof why);
        vm_close(L);
        free(lc);
        CHECK(ok, "%s", why);
    }
}

/* Our own luac.cross: images of the vector sources, float and integer. */
TEST(test_vm51_core_own_images)
{
    char why[256], cmd[2048], img[512];
    for (int integral = 0; integral <= 1; integral++) {
        for (int i = 0; vectors[i]; i++) {
            const char *name = vectors[i];
            if (integral && !has_int(name))
                continue;
            snprintf(img, sizeof img, "%s/own-%s%d.img", th_tmpdir(), name,
                     integral);
            snprintf(cmd, sizeof cmd, "cd %s/src/lua51 && %s/luac.cross %s"
                     " -f -o %s %s.lua >/dev/null", th_vectors(),
                     th_bindir(), integral ? "--target 5.1-int" : "", img,
                     name);
            CHECK(system(cmd) == 0, "luac.cross failed: %s", cmd);
            size_t n;
            uint8_t *bytes = th_read_file(img, &n);
            CHECK(bytes, "no %s", img);
            boot_t b = { 0, integral, 0, 0, bytes, n };
            vm_State *L = boot(&b);
            CHECK(L, "%s: %s", img, bootmsg);
            vm_pushlfsmodule(L, name);
            run_top(L);
            int ok = same_as_out(name, why, sizeof why);
            vm_close(L);
            free(bytes);
            CHECK(ok, "own image %s: %s", img, why);
        }
    }
}

/* ---- strings across RAM and the ROstrt --------------------------------- */

static const char interning_src[] =
    "local key = 'flash_key_1234'\n"
    "return function()\n"
    "  local t = { [key] = 'found' }\n"
    "  local built = 'flash_key_' .. (1233 + 1)\n"
    "  local ram = 'ram_' .. 'only_' .. 42\n"
    "  t[ram] = 'ram'\n"
    "  return t[built], built, ram, t[ram]\n"
    "end\n";

static vm_State *interning_vm(int integral)
{
    char path[512], img[512], cmd[2048];
    snprintf(path, sizeof path, "%s/intern.lua", th_tmpdir());
    snprintf(img, sizeof img, "%s/intern.img", th_tmpdir());
    if (th_write_file(path, interning_src, strlen(interning_src)))
        return NULL;
    snprintf(cmd, sizeof cmd, "%s/luac.cross %s -f -o %s %s >/dev/null",
             th_bindir(), integral ? "--target 5.1-int" : "", img, path);
    if (system(cmd) != 0)
        return NULL;
    size_t n;
    uint8_t *bytes = th_read_file(img, &n);
    if (!bytes)
        return NULL;
    boot_t b = { 0, integral, 0, 0, bytes, n };
    vm_State *L = boot(&b);
    free(bytes);
    return L;
}

TEST(test_vm51_core_interning)
{
    for (int integral = 0; integral <= 1; integral++) {
        vm_State *L = interning_vm(integral);
        CHECK(L, "no VM: %s", bootmsg);
        vm_pushlfsmodule(L, "intern");
        CHECK(vm_pcall(L, 0, 1, 0) == 0, "module: %s", vm_tostring(L, -1));
        CHECK(vm_pcall(L, 0, 4, 0) == 0, "f: %s", vm_tostring(L, -1));
        CHECK(vm_isstring(L, 1) && !strcmp(vm_tostring(L, 1), "found"),
              "a built string equal to a flash constant is another key");
        CHECK(plat_is_flash(vm_toaddress(L, 2)),
              "the built string 0x%x is not the flash one",
              vm_toaddress(L, 2));
        CHECK(!plat_is_flash(vm_toaddress(L, 3)) &&
              vm_toaddress(L, 3) >= plat_heap_base(), "RAM string");
        CHECK(vm_isstring(L, 4) && !strcmp(vm_tostring(L, 4), "ram"),
              "RAM key");
        /* the same text from C: the flash object again */
        vm_pushstring(L, "flash_key_1234");
        CHECK(vm_toaddress(L, -1) == vm_toaddress(L, 2), "C string");
        vm_pushstring(L, "intern");    /* module name: in the ROstrt */
        CHECK(plat_is_flash(vm_toaddress(L, -1)), "module name");
        /* debug.getstrings('ROM') lists it, a collection keeps flash */
        vm_gc(L, VM_GCCOLLECT, 0);
        CHECK(vm_getstrings(L, 1) > 0, "getstrings ROM");
        int found = 0;
        for (int i = 1; i <= (int)vm_objlen(L, -1); i++) {
            vm_rawgeti(L, -1, i);
            if (!strcmp(vm_tostring(L, -1), "flash_key_1234"))
                found = 1;
            vm_pop(L, 1);
        }
        CHECK(found, "ROM strings");
        vm_close(L);
    }
}

/* A store into flash faults on the host, as it would crash the chip. */
TEST(test_vm51_core_flash_readonly)
{
    vm_State *L = interning_vm(0);
    CHECK(L, "no VM: %s", bootmsg);
    vm_pushstring(L, "flash_key_1234");
    uint32_t a = vm_toaddress(L, -1);
    CHECK(plat_is_flash(a), "not a flash string");
    /* reading works */
    CHECK(!strcmp((const char *)plat_ptr(a) + 16, "flash_key_1234"),
          "flash chars");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        ((volatile uint8_t *)plat_ptr(a))[5] = 0;   /* marked */
        _exit(0);
    }
    int st;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid, "fork");
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
          "a store to flash did not fault");
    /* and a full collection with flash strings live is fine */
    for (int i = 0; i < 3; i++)
        vm_gc(L, VM_GCCOLLECT, 0);
    CHECK(plat_is_flash(vm_toaddress(L, -1)), "still flash");
    vm_close(L);
}

/* ---- heap exhaustion --------------------------------------------------- */

static const char *const exhaust_src[] = {
    "local t = {} for i = 1, 1e6 do t[i] = i end",
    "local s = 'x' while true do s = s .. s end",
    "local t = {} for i = 1, 1e6 do t[i] = {} end",
    "local t = {} for i = 1, 1e6 do t[i] = function() return i end end",
    "local t = {} for i = 1, 1e6 do t[#t + 1] = tostring(i) .. 'abc' end",
    "local t = {} for i = 1, 1e6 do\n"
    "  t[i] = coroutine.create(function() end) end",
    "local t = {} for i = 1, 1e6 do t[i] = newproxy(true) end",
    NULL
};

TEST(test_vm51_core_heap_exhaustion)
{
    const uint32_t heaps[] = { 8192, 16384, 45056 };
    for (int stress = 0; stress <= 1; stress++) {
        for (int i = 0; i < 3; i++) {
            boot_t b = { heaps[i], 0, stress, 0, NULL, 0 };
            vm_State *L = boot(&b);
            CHECK(L, "heap %u: %s", heaps[i], bootmsg);
            for (int k = 0; exhaust_src[k]; k++) {
                /* loaded, then run under pcall: the error is caught */
                th_buf_reset(&cap);
                vm_gc(L, VM_GCCOLLECT, 0);
                const char *src = exhaust_src[k];
                CHECK(vm_loadbuffer(L, src, strlen(src), "=exhaust") == 0,
                      "heap %u: load %s: %s", heaps[i], src,
                      vm_tostring(L, -1));
                int st = vm_pcall(L, 0, 0, 0);
                CHECK(st == VM_ERRMEM && !strcmp(vm_tostring(L, -1),
                      "not enough memory"), "heap %u%s: %s: %d %s",
                      heaps[i], stress ? " stress" : "", src, st,
                      vm_tostring(L, -1));
                vm_pop(L, 1);
                /* and from Lua: pcall returns false, the message */
                vm_gc(L, VM_GCCOLLECT, 0);
                CHECK(vm_dostring(L, "print(pcall(function() "
                                     "local t = {} for i = 1, 1e6 do "
                                     "t[i] = {} end end))") == 0,
                      "heap %u: dostring: %s", heaps[i], vm_tostring(L, -1));
                CHECK(!strcmp(cap.p, "false\tnot enough memory\n"),
                      "heap %u: %s", heaps[i], cap.p);
            }
            vm_heapstats hs;
            vm_heap(L, &hs);
            CHECK(hs.size == heaps[i] && hs.peak <= hs.size &&
                  hs.used <= hs.peak, "heap stats");
            vm_close(L);
        }
    }
}

/* vm_open in too small an arena fails cleanly. */
TEST(test_vm51_core_heap_too_small)
{
    boot_t b = { 4096, 0, 0, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(!L, "a VM in 4 KiB");
    plat_deinit();
}

/* ---- Lua programs compared with lua5.1's output ------------------------ */

static void expect_src(const char *src, const char *want, int integral,
                       int stress)
{
    boot_t b = { 81920, integral, stress, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    run_src(L, src, "@t.lua");
    vm_close(L);
    CHECK(!strcmp(cap.p, want), "got:\n%s\nwant:\n%s", cap.p, want);
}

static const char gc_src[] =
    "local order = {}\n"
    "local function make(name)\n"
    "  local u = newproxy(true)\n"
    "  getmetatable(u).__gc = function() order[#order + 1] = name end\n"
    "  return u\n"
    "end\n"
    "do local a, b, c = make('a'), make('b'), make('c') end\n"
    "collectgarbage()\n"
    "print('finalized', table.concat(order, ' '))\n"
    "local k = setmetatable({}, { __mode = 'k' })\n"
    "local v = setmetatable({}, { __mode = 'v' })\n"
    "local kv = setmetatable({}, { __mode = 'kv' })\n"
    "local keep = {}\n"
    "k[keep] = 1; k[{}] = 2; k['s'] = 3\n"
    "v[1] = keep; v[2] = {}; v[3] = 'str'; v[4] = 4\n"
    "kv[keep] = {}; kv[{}] = keep; kv[1] = 'x'\n"
    "collectgarbage()\n"
    "local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 "
    "end return n end\n"
    "print('weak', count(k), count(v), count(kv), v[1] == keep, v[3])\n"
    "local p = newproxy(true)\n"
    "local q = newproxy(p)\n"
    "print(getmetatable(p) == getmetatable(q), pcall(newproxy, {}))\n"
    "order = {}\n"
    "local function rez() local u = newproxy(true)\n"
    "  getmetatable(u).__gc = function(x) saved = x end end\n"
    "rez() collectgarbage()\n"
    "print('resurrected', type(saved))\n"
    "saved = nil collectgarbage()\n"
    "print(collectgarbage('count') > 0, collectgarbage('step'),\n"
    "      collectgarbage('setpause', 100), collectgarbage('setpause', 200),\n"
    "      collectgarbage('stop'), collectgarbage('restart'))\n";

static const char gc_want[] =
    "finalized\tc b a\n"
    "weak\t2\t3\t1\ttrue\tstr\n"
    "true\tfalse\tbad argument #1 to '?' (boolean or proxy expected)\n"
    "resurrected\tuserdata\n"
    "true\ttrue\t200\t100\t0\t0\n";

TEST(test_vm51_core_weak_and_gc)
{
    expect_src(gc_src, gc_want, 0, 0);
    expect_src(gc_src, gc_want, 0, 1);
}

static int gc_count;

static int udgc(vm_State *L)
{
    int *p = vm_touserdata(L, 1);
    gc_count += *p;
    return 0;
}

/* Userdata from C with a metatable __gc; all finalized by vm_close. */
TEST(test_vm51_core_userdata_gc)
{
    boot_t b = { 0, 0, 1, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    gc_count = 0;
    CHECK(vm_newmetatable(L, "test.ud") == 1, "newmetatable");
    vm_pushcfunction(L, udgc);
    vm_setfield(L, -2, "__gc");
    vm_pop(L, 1);
    for (int i = 0; i < 10; i++) {
        int *p = vm_newuserdata(L, sizeof(int));
        *p = 1;
        vm_getfield(L, VM_REGISTRYINDEX, "test.ud");
        vm_setmetatable(L, -2);
        CHECK(vm_checkudata(L, -1, "test.ud") == p, "checkudata");
        if (i < 5)
            vm_pop(L, 1);
    }
    vm_gc(L, VM_GCCOLLECT, 0);
    CHECK(gc_count == 5, "%d finalized, want 5", gc_count);
    vm_close(L);
    CHECK(gc_count == 10, "%d finalized at close, want 10", gc_count);
}

/* A runaway recursion under a message handler, as nodemcu-sim runs a
** program, on the 44 KiB heap: the stack cannot grow, the handler gets no
** room and is skipped, the error stays "stack overflow" (it was "error in
** error handling"). Then 200 finalizers calling collectgarbage(): they
** never nest, so all run (nested, they overflowed the stack). */
static const char nest_src[] =
    "n = 0\n"
    "local t = {}\n"
    "for i = 1, 200 do\n"
    "  local u = newproxy(true)\n"
    "  getmetatable(u).__gc = function() n = n + 1 collectgarbage() end\n"
    "  t[i] = u\n"
    "end\n"
    "t = nil\n"
    "print(pcall(collectgarbage))\n"
    "print(n)\n";

TEST(test_vm51_core_overflow_and_finalizers)
{
    static const char rec[] = "local function f() return 1 + f() end f()";
    for (int stress = 0; stress < 2; stress++) {
        boot_t b = { 0, 0, stress, 0, NULL, 0 };
        vm_State *L = boot(&b);
        CHECK(L, "%s", bootmsg);
        CHECK(vm_loadbuffer(L, rec, strlen(rec), "=t") == 0, "load: %s",
              vm_tostring(L, -1));
        int st = vm_pcalltrace(L, 0, 0);
        const char *m = vm_tostring(L, -1);
        CHECK(st == VM_ERRRUN && m && !strcmp(m, "t:1: stack overflow"),
              "stress %d: status %d, %s", stress, st, m ? m : "(none)");
        vm_settop(L, 0);
        run_src(L, nest_src, "@n.lua");
        CHECK(!strcmp(cap.p, "true\t0\n200\n"), "stress %d: got:\n%s",
              stress, cap.p);
        vm_close(L);
    }
}

static const char co_src[] =
    "local gen = coroutine.create(function(a, b)\n"
    "  local c = coroutine.yield(a + b)\n"
    "  local d, e = coroutine.yield(c * 2)\n"
    "  return d + e, 'finished'\n"
    "end)\n"
    "print(coroutine.resume(gen, 1, 2))\n"
    "print(coroutine.resume(gen, 10))\n"
    "print(coroutine.resume(gen, 3, 4))\n"
    "print(coroutine.status(gen), coroutine.resume(gen))\n"
    "local co = coroutine.create(function() error('inside') end)\n"
    "print(coroutine.resume(co))\n"
    "print(pcall(coroutine.yield, 1))\n"
    "local c3 = coroutine.create(function()\n"
    "  return pcall(coroutine.yield) end)\n"
    "print(coroutine.resume(c3))\n"
    "local c4 = coroutine.create(function()\n"
    "  local t = setmetatable({}, { __index = function()\n"
    "    return coroutine.yield(1) end })\n"
    "  return t.x end)\n"
    "print(coroutine.resume(c4))\n"
    "local w = coroutine.wrap(function() error('in wrap') end)\n"
    "print(pcall(w))\n"
    "local outer\n"
    "outer = coroutine.create(function()\n"
    "  local inner = coroutine.create(function()\n"
    "    print('statuses', coroutine.status(outer),\n"
    "          coroutine.running() ~= nil)\n"
    "    coroutine.yield()\n"
    "  end)\n"
    "  coroutine.resume(inner)\n"
    "  print('inner', coroutine.status(inner))\n"
    "  print(coroutine.resume(outer))\n"
    "end)\n"
    "coroutine.resume(outer)\n"
    "print(coroutine.running(), pcall(coroutine.status, 1))\n"
    "local n = 0\n"
    "for v in coroutine.wrap(function() for i = 1, 100 do\n"
    "  coroutine.yield(i) end end) do n = n + v end\n"
    "print('sum', n)\n"
    "local deep = coroutine.wrap(function(...)\n"
    "  local args = { ... }\n"
    "  local function r(k) if k == 0 then\n"
    "    return coroutine.yield(unpack(args)) end\n"
    "    return r(k - 1) end\n"
    "  return r(50) end)\n"
    "print(deep('x', 'y'))\n";

static const char co_want[] =
    "true\t3\n"
    "true\t20\n"
    "true\t7\tfinished\n"
    "dead\tfalse\tcannot resume dead coroutine\n"
    "false\tt.lua:10: inside\n"
    "false\tattempt to yield across metamethod/C-call boundary\n"
    "true\tfalse\tattempt to yield across metamethod/C-call boundary\n"
    "false\tattempt to yield across metamethod/C-call boundary\n"
    "false\tt.lua:21: in wrap\n"
    "statuses\tnormal\ttrue\n"
    "inner\tsuspended\n"
    "false\tcannot resume running coroutine\n"
    "nil\tfalse\tbad argument #1 to '?' (coroutine expected)\n"
    "sum\t5050\n"
    "x\ty\n";

TEST(test_vm51_core_coroutines)
{
    expect_src(co_src, co_want, 0, 0);
    expect_src(co_src, co_want, 1, 0);
    expect_src(co_src, co_want, 0, 1);
}

static const char err_src[] =
    "local function p(f, ...) print(select(2, pcall(f, ...))) end\n"
    "p(function() return undefinedglobal.field end)\n"
    "p(function() local t = {} t.a.b = 1 end)\n"
    "p(function() local t = {} t:nomethod() end)\n"
    "p(function() undefinedfn() end)\n"
    "p(function() local t = {} t.y() end)\n"
    "p(function() return 1 < nil end)\n"
    "p(function() return {} < {} end)\n"
    "p(function() return 'a' .. {} end)\n"
    "p(function() return 1 + {} end)\n"
    "p(function() return #nil end)\n"
    "local up\n"
    "p(function() return up.x end)\n"
    "p(function() local x = nil; x() end)\n"
    "p(table.insert, nil, 1)\n"
    "p(function() table.insert(nil, 1) end)\n"
    "p(function() ('x'):rep() end)\n"
    "p(function() string.rep() end)\n"
    "p(function() error('msg') end)\n"
    "p(function() error('lvl2', 2) end)\n"
    "p(function() error({}) end)\n"
    "p(function() local t = {} t[nil] = 1 end)\n"
    "p(function() local function f() return 1 + f() end return f() end)\n"
    "p(function() for i = 1, 'x' do end end)\n"
    "p(setmetatable, {}, 1)\n"
    "p(function() local s = 'abc' return s.x.y end)\n"
    "print(xpcall(function() error('E') end,\n"
    "             function(m) return 'H:' .. m end))\n"
    "print(xpcall(function() error('E') end, function(m) error('again') end))\n"
    "print(pcall(error))\n"
    "p(function() return nil .. 'x' end)\n";

static const char err_want[] =
    "t.lua:2: attempt to index global 'undefinedglobal' (a nil value)\n"
    "t.lua:3: attempt to index field 'a' (a nil value)\n"
    "t.lua:4: attempt to call method 'nomethod' (a nil value)\n"
    "t.lua:5: attempt to call global 'undefinedfn' (a nil value)\n"
    "t.lua:6: attempt to call field 'y' (a nil value)\n"
    "t.lua:7: attempt to compare number with nil\n"
    "t.lua:8: attempt to compare two table values\n"
    "t.lua:9: attempt to concatenate a table value\n"
    "t.lua:10: attempt to perform arithmetic on a table value\n"
    "t.lua:11: attempt to get length of a nil value\n"
    "t.lua:13: attempt to index upvalue '?' (a nil value)\n"
    "t.lua:14: attempt to call a nil value\n"
    "bad argument #1 to '?' (table expected, got nil)\n"
    "t.lua:16: bad argument #1 to 'insert' (table expected, got nil)\n"
    "t.lua:17: bad argument #1 to 'rep' (number expected, got no value)\n"
    "t.lua:18: bad argument #1 to 'rep' (string expected, got no value)\n"
    "t.lua:19: msg\n"
    "lvl2\n"
    "table: \n"
    "t.lua:22: table index is nil\n"
    "t.lua:23: stack overflow\n"
    "t.lua:24: 'for' limit must be a number\n"
    "bad argument #2 to '?' (nil or table expected)\n"
    "t.lua:26: attempt to index field 'x' (a nil value)\n"
    "false\tH:t.lua:27: E\n"
    "false\terror in error handling\n"
    "false\tnil\n"
    "t.lua:31: attempt to concatenate a nil value\n";

TEST(test_vm51_core_error_messages)
{
    boot_t b = { 81920, 0, 0, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    run_src(L, err_src, "@t.lua");
    vm_close(L);
    /* table addresses vary: cut "table: 0x..." */
    char *t = strstr(cap.p, "table: 0x");
    if (t) {
        char *e = strchr(t, '\n');
        memmove(t + 7, e, strlen(e) + 1);
    }
    CHECK(!strcmp(cap.p, err_want), "got:\n%s", cap.p);
}

/* The integer VM: NodeMCU's LUA_NUMBER_INTEGRAL arithmetic. */
static const char int_src[] =
    "local a, b, c, z, m = 7, 2, 3, 0, -1\n"
    "local n7 = -a\n"
    "print(a / b, n7 / b, a % c, n7 % c, a % -c, b ^ 10, b ^ m, -n7)\n"
    "print(pcall(function() return a / z end))\n"
    "print(pcall(function() return a % z end))\n"
    "local big = 2147483647\n"
    "local mn = -big - 1\n"
    "print(big + 1, mn - 1, big * big, mn / m, mn % m, -mn)\n"
    "print(tostring(a / c), tonumber('0x10'), tonumber('1.5'),\n"
    "      tonumber('99999999999'), tonumber('ff', 16), 10 .. '')\n"
    "print(math.floor(7), string.format('%d', 12), collectgarbage('count') ==\n"
    "      math.floor(collectgarbage('count')))\n";

static const char int_want[] =
    "3\t-4\t1\t2\t-2\t1024\t0\t7\n"
    "false\tt.lua:4: divide by zero\n"
    "false\tt.lua:5: modulo by zero\n"
    "-2147483648\t2147483647\t1\t-2147483648\t0\t-2147483648\n"
    "2\t16\tnil\t2147483647\t255\t10\n"
    "7\t12\ttrue\n";

TEST(test_vm51_core_int_arith)
{
    expect_src(int_src, int_want, 1, 0);
}

/* ---- ROTables and light functions from C ------------------------------- */

static int rt_add(vm_State *L)
{
    vm_pushnumber(L, vm_checknumber(L, 1) + vm_checknumber(L, 2));
    return 1;
}

static int rt_index(vm_State *L)
{
    vm_pushfstring(L, "dyn:%s", vm_checkstring(L, 2));
    return 1;
}

extern const vm_roentry rt_meta[];
static const vm_roentry rt_inner[] = {
    VM_RO_N("answer", 42),
    VM_RO_END
};
const vm_roentry rt_meta[] = {
    VM_RO_F("__index", rt_index),
    VM_RO_END
};
static const vm_roentry rt_tab[] = {
    VM_RO_F("add", rt_add),
    VM_RO_N("pi", 3.5),
    VM_RO_S("name", "rotable"),
    VM_RO_B("yes", 1),
    VM_RO_T("inner", rt_inner),
    VM_RO_M(rt_meta),
    VM_RO_END
};

static const char rt_src[] =
    "print(type(rt), type(rt.add), rt.add(2, 3), rt.pi, rt.name, rt.yes,\n"
    "      rt.inner.answer, rt.other)\n"
    "local keys = {}\n"
    "for k, v in pairs(rt) do keys[#keys + 1] = k end\n"
    "print(table.concat(keys, ','), #rt)\n"
    "print(pcall(function() rt.x = 1 end))\n"
    "print(pcall(rawset, rt, 'x', 1))\n"
    "print(rawget(rt, 'pi'), rawget(rt, 'other'), rawequal(rt, rt2))\n"
    "print(getmetatable(rt) ~= nil, getmetatable(rt).__index ~= nil)\n"
    "print(pcall(setmetatable, rt, {}))\n"
    "local obj = setmetatable({}, { __index = rt })\n"
    "print(obj.pi, obj.zzz)\n"
    "print(getfenv(rt.add) == _G,\n"
    "      tostring(rt.add):match('^function: ') ~= nil)\n";

TEST(test_vm51_core_rotables)
{
    for (int stress = 0; stress <= 1; stress++) {
        boot_t b = { 0, 0, stress, 0, NULL, 0 };
        vm_State *L = boot(&b);
        CHECK(L, "%s", bootmsg);
        vm_pushrotable(L, rt_tab);
        CHECK(vm_type(L, -1) == VM_TTABLE && vm_isrotable(L, -1), "type");
        vm_setglobal(L, "rt");
        vm_pushrotable(L, rt_tab);
        vm_setglobal(L, "rt2");
        vm_pushlightfunction(L, rt_add);
        CHECK(vm_type(L, -1) == VM_TFUNCTION && vm_islightfunction(L, -1) &&
              vm_iscfunction(L, -1) && vm_tocfunction(L, -1) == rt_add,
              "light function");
        vm_pop(L, 1);
        vm_getglobal(L, "rt");
        vm_getfield(L, -1, "pi");
        CHECK(vm_tonumber(L, -1) == 3.5, "getfield");
        vm_pop(L, 2);
        run_src(L, rt_src, "@t.lua");
        vm_close(L);
        const char *want =
            "table\tfunction\t5\t3.5\trotable\ttrue\t42\tdyn:other\n"
            "add,pi,name,yes,inner\t0\n"
            "false\tt.lua:6: invalid write to ROM variable\n"
            "false\tinvalid write to ROM variable\n"
            "3.5\tnil\ttrue\n"
            "true\ttrue\n"
            "false\tinvalid write to ROM variable\n"
            "3.5\tdyn:zzz\n"
            "true\ttrue\n";
        CHECK(!strcmp(cap.p, want), "got:\n%s", cap.p);
    }
}

/* ---- loading ----------------------------------------------------------- */

TEST(test_vm51_core_no_compiler)
{
    boot_t b = { 0, 0, 0, 1, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    int st = vm_loadbuffer(L, "return 1", 8, "=src");
    CHECK(st == VM_ERRSYNTAX && strstr(vm_tostring(L, -1), "not available"),
          "source loading: %d %s", st, vm_tostring(L, -1));
    vm_close(L);
}

/* Float .lc on the integer VM and the reverse are refused. */
TEST(test_vm51_core_lc_wrong_numbers)
{
    size_t n;
    uint8_t *lc = vecfile("lfs51", "hello.lc", &n);
    CHECK(lc, "no hello.lc");
    boot_t b = { 0, 1, 0, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    int st = vm_loadbuffer(L, (const char *)lc, n, "=hello");
    CHECK(st == VM_ERRSYNTAX && !strcmp(vm_tostring(L, -1),
          "hello: bad header in precompiled chunk"), "%s",
          vm_tostring(L, -1));
    vm_close(L);
    free(lc);
}

/* Hostile bytes: every truncation and many corruptions of real .lc
** files load or fail with "... in precompiled chunk", never crash. */
static void hostile(const char *file, int integral)
{
    size_t n;
    uint8_t *lc = vecfile("lfs51", file, &n);
    CHECK(lc, "no %s", file);
    boot_t b = { 81920, integral, 0, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    uint8_t *buf = malloc(n);
    uint32_t seed = 12345;
    int loaded = 0, refused = 0;
    for (size_t cut = 1; cut < n; cut += (n > 2000 ? 7 : 1)) {
        int st = vm_loadbuffer(L, (const char *)lc, cut, "=cut");
        CHECK(st == VM_ERRSYNTAX && strstr(vm_tostring(L, -1),
              "precompiled chunk"), "cut %zu: %d", cut, st);
        vm_settop(L, 0);
    }
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, lc, n);
        int flips = 1 + round % 4;
        for (int f = 0; f < flips; f++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = 12 + (seed >> 8) % (n - 12);
            seed = seed * 1103515245u + 12345u;
            uint8_t flip = (uint8_t)(1u << ((seed >> 16) & 7));
            buf[at] = (round & 1) ? (uint8_t)(seed >> 16) : buf[at] ^ flip;
        }
        int st = vm_loadbuffer(L, (const char *)buf, n, "=fuzz");
        if (st == 0) {
            loaded++;
        } else if (st == VM_ERRMEM) {
            /* a large count that the bytes could back: a clean error */
            CHECK(!strcmp(vm_tostring(L, -1), "not enough memory"), "mem");
            refused++;
        } else {
            CHECK(st == VM_ERRSYNTAX && strstr(vm_tostring(L, -1),
                  "precompiled chunk"), "round %d: %d %s", round, st,
                  vm_tostring(L, -1));
            refused++;
        }
        vm_settop(L, 0);
        if (round % 500 == 0)
            vm_gc(L, VM_GCCOLLECT, 0);
    }
    vm_close(L);
    free(buf);
    free(lc);
    CHECK(refused > 0 && loaded >= 0, "nothing refused");
}

TEST(test_vm51_core_undump_hostile)
{
    hostile("control.lc", 0);
    hostile("closures.int.lc", 1);
    hostile("manyk.lc", 0);
}

/* A float .lc of depth nested functions that only return; the innermost
** has one local whose name is absent. */
static size_t nested(uint8_t *b, int depth)
{
    static const uint8_t rec[32] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2,  /* no source */
        1, 0, 0, 0, 0x1E, 0, 0x80, 0, 0, 0, 0, 0, 1, 0, 0, 0  /* RETURN */
    };
    static const uint8_t debug[12] = { 0 };
    static const uint8_t local[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       1, 0, 0, 0 };
    const uint8_t hdr[12] = { 0x1B, 'L', 'u', 'a', 0x51, 0, 1, 4, 4, 4, 8,
                              0 };
    size_t n = sizeof hdr;
    memcpy(b, hdr, n);
    for (int i = 0; i < depth; i++, n += sizeof rec) {
        memcpy(b + n, rec, sizeof rec);
        b[n + 28] = i + 1 < depth;       /* one child but the innermost */
    }
    memcpy(b + n, debug, 4);             /* innermost: no line info, */
    memcpy(b + n + 4, local, 16);        /* one local without a name, */
    memcpy(b + n + 20, debug, 4);        /* no upvalue names */
    n += 24;
    for (int i = 1; i < depth; i++, n += sizeof debug)
        memcpy(b + n, debug, sizeof debug);
    return n;
}

/* The .lc reader of the host tools (lfs/lc51_read.c) and the VM's share
** one walk over the bytes but keep their own rules and words: each case
** is a change to hello.lc (a 32-bit word at an offset, a flipped bit,
** a cut or an extra byte) or a nested file, with what each says. */
TEST(test_vm51_core_lc_two_readers)
{
    static const struct {
        int at;                 /* -1: the nested file of depth 'word' */
        uint32_t word;
        uint8_t flip;           /* xor into byte at instead of the word */
        int len;                /* 0: as is; else cut or extend to len */
        long host_at;           /* -1: the host reads it */
        const char *host, *vm;  /* vm NULL: the VM loads it */
    } cases[] = {
        { 0, 0, 0, 71, 44, "truncated: code needs 28 bytes but 27"
          " remain; the file is cut short, rebuild or copy it again",
          "hello: truncated in precompiled chunk" },
        { 39, 0xFFFFFFFF, 0, 0, 39, "instruction count -1 is impossible"
          " for the 113 bytes left; the file is corrupt or not Lua 5.1"
          " bytecode", "hello: bad integer in precompiled chunk" },
        { 40, 0x80000000, 0, 0, 43, "padding byte is 0x80, not 0", NULL },
        { 76, 0, 0x06, 0, 76, "constant 0 has type 2; Lua 5.1 constants"
          " are nil, boolean, number or string",
          "hello: bad constant in precompiled chunk" },
        { 144, 0, 0x40, 0, 144, "packed line info does not describe the"
          " function's 7 instructions", NULL },
        { 0, 0, 0, 157, 156, "1 bytes of garbage after the main function",
          "hello: bad trailing bytes in precompiled chunk" },
        { -1, 200, 0, 0, -1, NULL, "hello: bad local name in precompiled"
          " chunk" },
        { -1, 201, 0, 0, -1, NULL, "hello: code too deep in precompiled"
          " chunk" },
        { -1, 202, 0, 0, 12 + 201 * 32, "functions nested more than 200"
          " deep", "hello: code too deep in precompiled chunk" },
    };
    size_t n;
    uint8_t *lc = vecfile("lfs51", "hello.lc", &n);
    uint8_t *buf = calloc(1, 16384);   /* the nested file: 9 KB */
    CHECK(lc && buf && n == 156, "no hello.lc");
    boot_t bt = { 0, 0, 0, 0, NULL, 0 };
    vm_State *L = boot(&bt);
    CHECK(L, "%s", bootmsg);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = n;
        memcpy(buf, lc, n);
        buf[n] = 0;
        if (cases[i].at < 0)
            len = nested(buf, (int)cases[i].word);
        else if (cases[i].flip)
            buf[cases[i].at] ^= cases[i].flip;
        else if (!cases[i].len)
            memcpy(buf + cases[i].at, &cases[i].word, 4);
        if (cases[i].len)
            len = (size_t)cases[i].len;
        lfs_model_t m;
        lfs_diag_t d;
        lfs_proto_t *f;
        lfs_model_init(&m);
        lfs_diag_init(&d, "hello.lc");
        int rc = lc51_read(buf, len, LC51_NODEMCU, &m, &d, NULL, &f);
        lfs_model_free(&m);
        CHECK(cases[i].host ? rc == LFS_EFORMAT && d.offset ==
              cases[i].host_at && !strcmp(d.msg, cases[i].host) : rc == 0,
              "case %zu: host %d at %ld: %s", i, rc, d.offset, d.msg);
        int st = vm_loadbuffer(L, (const char *)buf, len, "=hello");
        CHECK(cases[i].vm ? st == VM_ERRSYNTAX &&
              !strcmp(vm_tostring(L, -1), cases[i].vm) : st == 0,
              "case %zu: VM %d %s", i, st, st ? vm_tostring(L, -1) : "");
        vm_settop(L, 0);
    }
    vm_close(L);
    free(buf);
    free(lc);
}

/* ---- the C API --------------------------------------------------------- */

TEST(test_vm51_core_api)
{
    boot_t b = { 0, 0, 1, 0, NULL, 0 };
    vm_State *L = boot(&b);
    CHECK(L, "%s", bootmsg);
    vm_settop(L, 0);
    vm_pushinteger(L, 1);
    vm_pushstring(L, "two");
    vm_pushnumber(L, 3.25);
    vm_insert(L, 1);
    CHECK(vm_gettop(L) == 3 && vm_tonumber(L, 1) == 3.25, "insert");
    vm_remove(L, 1);
    vm_pushvalue(L, 1);
    vm_replace(L, 2);
    CHECK(vm_tointeger(L, 2) == 1 && vm_type(L, 3) == VM_TNONE, "replace");
    CHECK(!strcmp(vm_tostring(L, 1), "1") && vm_type(L, 1) == VM_TSTRING,
          "number to string in place");
    vm_settop(L, 0);
    /* references */
    vm_newtable(L);
    int refs[20];
    for (int i = 0; i < 20; i++) {
        vm_pushfstring(L, "v%d", i);
        refs[i] = vm_ref(L, 1);
    }
    vm_unref(L, 1, refs[3]);
    vm_pushliteral(L, "again");
    CHECK(vm_ref(L, 1) == refs[3], "ref reuse");
    vm_rawgeti(L, 1, refs[7]);
    CHECK(!strcmp(vm_tostring(L, -1), "v7"), "ref value");
    vm_settop(L, 0);
    /* buffers */
    vm_Buffer bf;
    vm_buffinit(L, &bf);
    for (int i = 0; i < 1000; i++)
        vm_addstring(&bf, "abc");
    vm_pushinteger(L, 42);
    vm_addvalue(&bf);
    vm_addchar(&bf, '!');
    vm_pushresult(&bf);
    size_t len;
    const char *s = vm_tolstring(L, -1, &len);
    CHECK(len == 3003 && !strcmp(s + 2997, "abc42!"), "buffer %zu", len);
    vm_settop(L, 0);
    /* fstring, concat, tolstring_meta */
    vm_pushfstring(L, "%s=%d %f %c %%", "x", -5, 2.5, 'z');
    CHECK(!strcmp(vm_tostring(L, -1), "x=-5 2.5 z %"), "fstring: %s",
          vm_tostring(L, -1));
    vm_pushboolean(L, 1);
    CHECK(!strcmp(vm_tolstring_meta(L, -1, NULL), "true"), "meta bool");
    vm_newtable(L);
    s = vm_tolstring_meta(L, -1, NULL);
    CHECK(!strncmp(s, "table: 0x3fff", 13), "table address %s", s);
    vm_settop(L, 0);
    /* globals, registry, errors through cpcall */
    vm_pushnumber(L, 7);
    vm_setglobal(L, "seven");
    vm_getglobal(L, "seven");
    CHECK(vm_tonumber(L, -1) == 7, "global");
    CHECK(vm_dostring(L, "seven = seven * 6") == 0, "dostring");
    vm_getglobal(L, "seven");
    CHECK(vm_tonumber(L, -1) == 42, "dostring result");
    CHECK(vm_dostring(L, "error('x', 0)") == VM_ERRRUN &&
          !strcmp(vm_tostring(L, -1), "x"), "dostring error");
    vm_settop(L, 0);
    vm_pushlightuserdata(L, &len);
    CHECK(vm_touserdata(L, -1) == &len, "light userdata");
    vm_pushlightuserdata(L, &len);
    CHECK(vm_rawequal(L, -1, -2), "light userdata equal");
    vm_settop(L, 0);
    char buf[32];
    CHECK(vm_numtostr(L, 0.1, buf) == 3 && !strcmp(buf, "0.1"), "numtostr");
    vm_close(L);
}
