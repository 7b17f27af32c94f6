/*
** target_main.c: the target's entry (start.S calls target_start): boots
** the LFS image at the profile's partition (0x40280000 on the ESP8266)
** with ldr51_boot and reports it, then runs what the command line names.
**
**   qemu-system-xtensa -M sim -cpu lx106 -semihosting -display none \
**       -monitor none -serial none -kernel build/xtensa/firmware.elf \
**       -device loader,file=lfs.img,addr=0x40280000 [-append "ARGS"]
**
** lfs.img is an absolute image for 0x40280000 (luac.cross -a 0x40280000).
** ARGS: "-i" / "-f" force the integer / float firmware (default: what the
** image's signature says); "-g" runs the VM with gc_stress (a full
** collection at every allocation); "-q" leaves out the boot report; "-l"
** only reports (no VM run); "--reload ADDR SIZE" first reloads LFS from
** the gzip image file of SIZE bytes that QEMU's loader put at ADDR (as
** node.LFS.reload does, through the emulated NOR flash; 0x61000000 is
** sysram past the flash backing store); "--check" runs target_check.c;
** "--fault" executes a break and "--null" loads from address 0 (the
** fault handler's tests).
** Then the names of LFS modules to run in order, each called with no
** arguments as a script; none: every module of the image, in its order.
** stdout: the boot report ("ldr51_boot: 0", "LFS ...", "modules (n): ...",
** "timestamp ...") and what the modules print; stderr: a Lua error as
** "target: msg" with its traceback, and one last line of figures (exit
** status, deepest stack use, the VM's heap peak).
** Exit status: 0 ok, 1 a module failed, 2 no LFS or bad usage, 3 a CPU
** exception (target_fault) or a stack overflow.
** Twin: firmware/sim_host.c (the host's simulated device). May call:
** plat, ldr51, vm (built with TARGET_VM=1), semihost, target_check.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/plat/plat.h"
#include "firmware/esp8266/semihost.h"
#include "lfs/gz.h"
#include "lfs/lfs51.h"
#if TARGET_VM
#include "firmware/lib/lib.h"
#include "firmware/vm/vm.h"
#endif

#define STACK_PAINT 0xA5A5A5A5u   /* start.S */

extern uint32_t __stack_bottom[], __stack_top[];
extern const char __rodata_start[], __rodata_end[];   /* link.ld */

void target_start(void);
int target_check(void);       /* target_check.c */
void target_fault(int vector, uint32_t cause, uint32_t epc, uint32_t vaddr);

static void say(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(int fd, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    if (n > 0)
        semihost_write(fd, buf, (size_t)n);
}

/* Deepest stack use since reset: the painted words never overwritten. */
static uint32_t stack_used(void)
{
    const uint32_t *p = __stack_bottom;
    while (p < __stack_top && *p == STACK_PAINT)
        p++;
    return (uint32_t)((__stack_top - p) * 4);
}

static uint32_t heap_peak;        /* vm_heap's peak, when a VM ran */

static _Noreturn void finish(int st)
{
    fflush(stdout);
    /* The stack's last word overwritten: it ran into the heap arena. */
    if (__stack_bottom[0] != STACK_PAINT) {
        say(1, "target: stack overflow into the heap arena\n");
        st = 3;
    }
    say(2, "target: exit %d, stack %u of %u bytes, heap peak %u of %u"
        " bytes\n", st, stack_used(),
        (unsigned)((__stack_top - __stack_bottom) * 4), (unsigned)heap_peak,
        (unsigned)plat_heap_size());
    semihost_exit(st);
}

void target_fault(int vector, uint32_t cause, uint32_t epc, uint32_t vaddr)
{
    static const char *const names[] = {"?", "debug", "NMI", "kernel",
                                        "user", "double"};
    static int again;
    if (again++)
        semihost_exit(3);
    say(1, "\nFatal exception (%s vector): EXCCAUSE %u, PC 0x%08x,"
        " EXCVADDR 0x%08x\n", names[vector >= 1 && vector <= 5 ? vector : 0],
        (unsigned)cause, (unsigned)epc, (unsigned)vaddr);
    finish(3);
}

/* ---- the LFS index, read in place (docs/lfs51.md §3.11) ---------------------
** Every flash read is a 32-bit load (plat_load32), as the chip requires. */

typedef struct index {
    uint32_t k;          /* TValue vector            */
    uint32_t sizek;
    uint32_t tvsize;     /* 12 (float) or 8 (integer) */
} index_t;

static void index_open(const ldr51_lfs_t *lfs, int integral, index_t *ix)
{
    ix->k = plat_load32(lfs->mainProto + 8);
    ix->sizek = plat_load32(lfs->mainProto + 40);
    ix->tvsize = integral ? 8 : 12;
}

/* Modules: k[0 .. sizek - 2] are the names, k[sizek - 1] the timestamp. */
static uint32_t index_count(const index_t *ix)
{
    return ix->sizek ? ix->sizek - 1 : 0;
}

/* Copy TString ts's characters into buf (size > 0), cut to fit. */
static void flash_string(plat_ref_t ts, char *buf, size_t size)
{
    uint32_t len = plat_load32(ts + 12), i;
    for (i = 0; i < len && i < size - 1; i++)
        buf[i] = (char)(plat_load32((ts + 16 + i) & ~3u) >>
                        8 * ((ts + 16 + i) & 3));
    buf[i] = 0;
}

/* The name of module i, or "" if k[i] is not a string. */
static void index_name(const index_t *ix, uint32_t i, char *buf,
                       size_t size)
{
    uint32_t tv = ix->k + i * ix->tvsize;
    buf[0] = 0;
    if (plat_load32(tv + ix->tvsize - 4) == 4)
        flash_string(plat_load32(tv), buf, size);
}

static void report_boot(const ldr51_lfs_t *lfs, int integral)
{
    index_t ix;
    char name[64];
    index_open(lfs, integral, &ix);
    say(1, "LFS 0x%08x: sig 0x%08x, %u bytes, %s, ROstrt %u/%u\n",
        (unsigned)lfs->base, (unsigned)lfs->flash_sig,
        (unsigned)lfs->flash_size, integral ? "integer" : "float",
        (unsigned)lfs->nROuse, (unsigned)lfs->nROsize);
    uint32_t n = index_count(&ix);
    say(1, "modules (%u):", (unsigned)n);
    for (uint32_t i = 0; i < n; i++) {
        index_name(&ix, i, name, sizeof name);
        say(1, " %s", name);
    }
    say(1, "\n");
    uint32_t ts = ix.k + n * ix.tvsize;
    if (integral) {
        say(1, "timestamp %d\n", (int)plat_load32(ts));
    } else {
        uint64_t bits = plat_load32(ts) | (uint64_t)plat_load32(ts + 4) << 32;
        double d;
        memcpy(&d, &bits, sizeof d);
        say(1, "timestamp %.14g\n", d);
    }
}

#if TARGET_VM
/* ---- what must never be written ------------------------------------------
** The host maps flash read-only, so a store to an LFS object faults there;
** QEMU's flash window is RAM. Here the image and the firmware's constant
** data (ROTables among them) are checksummed before the VM runs and after:
** a difference is a write the chip would not survive (flash) or that
** breaks the "never write a ROTable" rule. */

typedef struct guard {
    uint32_t image, rodata;
    plat_flash_stats_t st;
} guard_t;

static uint32_t crc_words(plat_ref_t a, uint32_t n)
{
    uint32_t crc = 0;
    for (uint32_t i = 0; i + 4 <= n; i += 4) {
        uint32_t w = plat_load32(a + i);
        crc = gz_crc32(crc, &w, 4);
    }
    return crc;
}

static void guard_take(guard_t *g, const ldr51_lfs_t *lfs)
{
    g->image = crc_words(lfs->base, lfs->flash_size);
    g->rodata = crc_words(plat_ref(__rodata_start),
                          (uint32_t)(__rodata_end - __rodata_start));
    plat_flash_stats(&g->st);
}

/* 0, or 3 after saying what was written. */
static int guard_check(const guard_t *g, const ldr51_lfs_t *lfs)
{
    guard_t now;
    guard_take(&now, lfs);
    int flashed = now.st.writes != g->st.writes ||
                  now.st.erases != g->st.erases;
    if (now.image != g->image && !flashed) {
        say(2, "target: the LFS image in flash was written to (a store"
            " the chip would fault on)\n");
        return 3;
    }
    if (now.rodata != g->rodata) {
        say(2, "target: constant data (.rodata, ROTables) was written"
            " to\n");
        return 3;
    }
    return 0;
}

/* ---- running modules ----------------------------------------------------- */

/* Call LFS module name with no arguments, as a script; an error goes to
** stderr as lua5.1 reports it. 0 or 1. */
static int run_module(vm_State *L, const char *name)
{
    vm_pushlfsmodule(L, name);
    if (vm_type(L, -1) != VM_TFUNCTION) {
        vm_pop(L, 1);
        say(2, "target: no module '%s' in LFS\n", name);
        return 1;
    }
    if (vm_pcalltrace(L, 0, 0) == 0)
        return 0;
    const char *msg = vm_tostring(L, -1);
    say(2, "target: %s\n", msg ? msg : "(error object is not a string)");
    vm_pop(L, 1);
    return 1;
}

/* One VM over the plat arena runs the named modules, or every module of
** the image in its order. */
static int run_vm(const ldr51_lfs_t *lfs, const ldr51_cfg_t *c,
                  int gc_stress, int n, char **names)
{
    vm_config vc;
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.integral = c->integral;
    vc.gc_stress = gc_stress;
    vc.write = semihost_console;
    vc.lfs_mapped = lfs->base;
    vc.lfs_base = c->lfs_addr;
    vc.lfs_size = c->lfs_size;
    vm_State *L = vm_open(&vc);
    if (!L) {
        say(1, "target: vm_open: the heap of %u bytes cannot hold the"
            " state\n", (unsigned)plat_heap_size());
        return 2;
    }
    guard_t g;
    guard_take(&g, lfs);
    int bad = 0;
    if (n > 0) {
        for (int i = 0; i < n; i++)
            bad |= run_module(L, names[i]);
    } else {
        index_t ix;
        char name[64];
        index_open(lfs, c->integral, &ix);
        for (uint32_t i = 0; i < index_count(&ix); i++) {
            index_name(&ix, i, name, sizeof name);
            bad |= run_module(L, name);
        }
    }
    vm_heapstats hs;
    vm_heap(L, &hs);
    heap_peak = hs.peak;
    vm_close(L);
    int w = guard_check(&g, lfs);
    return w ? w : bad;
}
#endif

/* ---- reload ------------------------------------------------------------- */

/* The reload's work memory, from the heap arena before the VM owns it
** (the C library has no heap on the target): a bump allocator. */
static struct {
    uint32_t next, end;
} bump;

static void *bump_alloc(void *ctx, size_t n)
{
    (void)ctx;
    n = (n + 7) & ~(size_t)7;
    if (n > bump.end - bump.next)
        return NULL;
    void *p = plat_ptr(bump.next);
    bump.next += (uint32_t)n;
    return p;
}

static void bump_free(void *ctx, void *p)
{
    (void)ctx;
    (void)p;
}

static int reload(ldr51_cfg_t c, const char *addr, const char *size)
{
    char *end1, *end2;
    unsigned long a = strtoul(addr, &end1, 0), n = strtoul(size, &end2, 0);
    char msg[LDR51_MSG_SIZE];
    if (*end1 || *end2 || n == 0) {
        say(1, "target: --reload ADDR SIZE: not numbers\n");
        return 2;
    }
    ldr51_file_t f;
    ldr51_file_mem(&f, (const uint8_t *)(uintptr_t)a, (uint32_t)n);
    bump.next = plat_heap_base();
    bump.end = bump.next + plat_heap_size();
    c.alloc = bump_alloc;
    c.free = bump_free;
    int r = ldr51_reload(&c, &f, msg);
    say(1, "ldr51_reload: %d %s\n", r, msg);
    memset(plat_ptr(plat_heap_base()), 0, plat_heap_size());
    return r < 0 ? 2 : 0;
}

/* ---- entry --------------------------------------------------------------- */

#define MAX_ARGS 64

static int run(int argc, char **argv)
{
    int force = -1, quiet = 0, list_only = 0, gc_stress = 0, first = argc;
    const char *rl_addr = NULL, *rl_size = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-i") == 0)
            force = 1;
        else if (strcmp(argv[i], "-f") == 0)
            force = 0;
        else if (strcmp(argv[i], "-q") == 0)
            quiet = 1;
        else if (strcmp(argv[i], "-g") == 0)
            gc_stress = 1;
        else if (strcmp(argv[i], "-l") == 0)
            list_only = 1;
        else if (strcmp(argv[i], "--reload") == 0 && i + 2 < argc) {
            rl_addr = argv[++i];
            rl_size = argv[++i];
        } else if (strcmp(argv[i], "--check") == 0)
            return target_check();
        else if (strcmp(argv[i], "--fault") == 0)  /* tests target_fault */
            __builtin_trap();
        else if (strcmp(argv[i], "--null") == 0)   /* first: loads from 0 */
            return (int)*(volatile uint32_t *)(uintptr_t)(i - 1);
        else if (argv[i][0] == '-') {
            say(1, "target: unknown option %s\n", argv[i]);
            return 2;
        } else {
            first = i;
            break;
        }
    }
    const plat_profile_t *pr = &plat_profile_esp8266;
    plat_config_t pc = {.flash_size = pr->flash_size,
                        .heap_size = pr->heap_size};
    int r = plat_init(&pc);
    if (r < 0) {
        say(1, "plat_init: %d\n", r);
        return 2;
    }
    /* The number type: forced, or the image's (docs/lfs51.md §3.2). */
    ldr51_cfg_t c = {.lfs_addr = pr->lfs_addr, .lfs_size = pr->lfs_size};
    if (rl_addr) {
        c.integral = force > 0;
        if ((r = reload(c, rl_addr, rl_size)) != 0)
            return r;
    }
    uint32_t sig = plat_load32(PLAT_FLASH_MAPPED + pr->lfs_addr);
    c.integral = force >= 0 ? force
               : (sig & ~LFS51_SIG_ABSOLUTE) == LFS51_SIG_INT;
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    r = ldr51_boot(&c, &lfs, msg);
    if (!quiet || r < 0)
        say(1, "ldr51_boot: %d%s%s\n", r, msg[0] ? " " : "", msg);
    if (r < 0)
        return 2;
    if (!quiet)
        report_boot(&lfs, c.integral);
    if (list_only)
        return 0;
#if TARGET_VM
    return run_vm(&lfs, &c, gc_stress, argc - first, argv + first);
#else
    (void)first;
    (void)gc_stress;
    say(1, "target: built without the VM (TARGET_VM=0)\n");
    return 2;
#endif
}

void target_start(void)
{
    static char buf[1024] __attribute__((aligned(4)));
    char *argv[MAX_ARGS];
    int argc = semihost_args(buf, sizeof buf, argv, MAX_ARGS);
    if (argc == 0) {
        argv[0] = "firmware";
        argv[1] = NULL;
        argc = 1;
    }
    finish(run(argc, argv));
}
