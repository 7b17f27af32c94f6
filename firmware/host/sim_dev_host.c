/*
** sim_dev_host.c: the simulated device booting a flash image file
** (sim_dev.h), on the host platform (plat_host.c).
** Spec: docs/flash-layout.md §1-§3, docs/spiffs.md §1.18, docs/lfs51.md §5.
** Twin: sim_dev.h. May call: plat, ldr51, ldr_safe, lib seams, vm.h,
** flashimg's header and table readers, the SPIFFS library, lfs/, libc,
** POSIX.
**
** A run:
**   load      the file: esptool header (its flash-size byte sizes the
**             flash), partition table at 0x10000 (an unplanned one is
**             planned as first boot does, and written back at boot 1), the
**             table checked; the bytes go into plat's NOR flash, the rest
**             of the flash erased. A bad file is one line and exit 1.
**   boot      SPIFFS0: FS region rounded to 8 KiB, probe, mount (one bad
**             block repaired); a failure prints "Formatting file system.
**             Please wait..." and formats the region (docs/spiffs.md §1.18).
**             A pending LFS reload is finished (ldr_safe.h). LFS0: the
**             boot check (ldr51_boot, which checks the whole image so a
**             corrupt LFS is refused instead of crashing the VM; its
**             message on the console when it refuses). The VM (float or
**             integer as the image's signature says), the banner,
**             init.lua from SPIFFS.
**   loop      posted tasks (highest priority first), due timers (earliest
**             first), uart data callbacks, then one console line; when
**             nothing is ready the clock jumps to the next timer. Console
**             input: the -e lines, then the input fd, executed as the
**             device's interpreter does (incomplete chunks continue on
**             the next line, "=expr" prints). The run ends when nothing
**             is left (no timer, task or input), at the time limit, at a
**             power cut, at a restart beyond the reboot limit, or when
**             asked to stop (opts.stop, a signal): at the next event,
**             console output or console input.
**   restart   node.restart() ends the boot when the running callback
**             returns; node.LFS.reload restarts at once after pass 2 (as
**             the watchdog does on the device). The VM is closed and the
**             device boots again from the same flash.
** Time: virtual by default (deterministic; each reading of the clock
** advances it by 1 us so a busy wait ends), the host's monotonic clock
** when the console is a terminal.
** Flash and the file: every change goes to plat's NOR flash, and plat's
** watcher writes it through to the file at once (the changed bytes; past
** the file's end, from there to the end of the sector), so whenever the
** run ends (a power cut, a signal, a kill) the file is the flash as the
** chip would keep it. The SPIFFS region has a host shadow, a SPIFFS RAM
** backend (spiffs_ram.c), that serves SPIFFS reads (plat's read of flash
** past the mapped MiB costs two mprotect calls); every program and erase
** goes to plat first, then to the shadow. A SPIFFS program that would
** turn a 0 bit into 1 is a simulator error (the library must never need
** that).
** Power cut: plat refuses the operation after the budget; the device
** stops right there (a longjmp out of SPIFFS, the loader or the VM to
** boot's setjmp) and the run ends; the file already holds the flash.
** Stop (opts.stop): console output halts the same way, the event loop
** and the console's input wait return; the run ends.
*/
#include "firmware/host/sim_dev.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/ldr/ldr_safe.h"
#include "firmware/lib/lib.h"
#include "firmware/lib/lib_file.h"
#include "firmware/lib/lib_node.h"
#include "firmware/lib/lib_tmr.h"
#include "firmware/lib/lib_uart.h"
#include "firmware/plat/plat.h"
#include "firmware/plat/plat_fs.h"
#include "flash/flash_map.h"
#include "lfs/lfs51.h"
#include "spiffs/spiffs.h"

#define LINE_MAX_     1024          /* console line buffer                */
#define POOL_SIZE     (96u * 1024u) /* boot-time reload work memory       */
#define NOTE_MAX      700

enum halt { HALT_NONE, HALT_POWER, HALT_RELOAD, HALT_SIMERR, HALT_STOP };
enum boot_end { BOOT_IDLE, BOOT_TIMEOUT, BOOT_RESTART, BOOT_POWER,
                BOOT_STOP, BOOT_FAILED };

/* The one device of this process. */
static struct {
    const sim_dev_opts_t *o;
    sim_dev_stats_t *st;
    int fd;                     /* the flash file, read/write            */
    uint8_t *file;              /* what the file held (loading only)      */
    size_t file_len;            /* its length, as write-through grows it  */
    uint32_t flash_size;
    plat_flash_stats_t base;    /* stats after loading the file           */
    /* partition table */
    uint8_t rcr_new[PTAB_PAGE_SIZE];
    int rcr_write;              /* first boot writes rcr_new              */
    uint32_t lfs_addr, lfs_size;
    uint32_t spiffs_addr, spiffs_size;
    /* SPIFFS */
    uint32_t fs_addr, fs_region;    /* the 8K-trimmed region              */
    uint8_t *shadow;            /* host copy of the region ...            */
    spiffs_ram_t ram;           /* ... as a SPIFFS RAM backend            */
    spiffs_t fs;
    plat_fs_t pfs;
    int have_fs;
    /* boot */
    jmp_buf jb;
    int halt;                   /* enum halt, set before the longjmp      */
    char simerr[NOTE_MAX];
    vm_State *L;
    int integral;
    int restart;                /* node.restart was called                */
    int boot_reason;
    /* clock */
    uint64_t now_us;            /* device time of this boot (virtual)     */
    uint64_t before_us;         /* device time of the earlier boots       */
    struct timespec t0;         /* host: start of the run                 */
    struct timespec boot_t0;    /* host: start of this boot (real time)   */
    /* console */
    int line_no;                /* next of o->lines                       */
    char inbuf[4 * LINE_MAX_];
    size_t inlen;
    int in_eof;
    char *chunk;                /* an incomplete chunk being continued    */
    size_t chunk_len, chunk_cap;
    /* boot-time reload memory */
    uint8_t *pool;
    size_t pool_used;
} dev;

/* ---- console ------------------------------------------------------------ */

static void halt(int why) __attribute__((noreturn));

/* Has the run been asked to stop (opts.stop)? */
static int stopping(void)
{
    return dev.o->stop && *dev.o->stop;
}

static void con_write(const char *s, size_t n)
{
    if (stopping())
        halt(HALT_STOP);
    if (dev.o->write)
        dev.o->write(dev.o->write_ud, s, n);
    else
        fwrite(s, 1, n, stdout);
}

static void vm_console(void *ud, const char *s, size_t n)
{
    (void)ud;
    con_write(s, n);
}

static void con_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void con_printf(const char *fmt, ...)
{
    char buf[NOTE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        con_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void con_flush(void)
{
    if (!dev.o->write)
        fflush(stdout);
}

/* One line on stderr: "prog: FILE: what". */
static void err_line(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void err_line(const char *fmt, ...)
{
    char buf[NOTE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    con_flush();
    fprintf(stderr, "%s: %s: %s\n", dev.o->prog, dev.o->flash, buf);
    fflush(stderr);
}

/* ---- halting ------------------------------------------------------------ */

static void halt(int why)
{
    dev.halt = why;
    longjmp(dev.jb, 1);
}

static int power_is_cut(void)
{
    plat_flash_stats_t s;
    plat_flash_stats(&s);
    return s.cut > 0;
}

static void sim_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void sim_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dev.simerr, sizeof dev.simerr, fmt, ap);
    va_end(ap);
    halt(HALT_SIMERR);
}

/* ---- the clock ---------------------------------------------------------- */

static double since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) * 1e3 +
           (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static uint64_t real_us(void)
{
    return (uint64_t)(since(&dev.boot_t0) * 1000.0);
}

/* Device time of this boot; a reading advances virtual time by 1 us. */
static uint64_t clock_now(void *ctx)
{
    (void)ctx;
    if (dev.o->interactive)
        return dev.now_us = real_us();
    return dev.now_us++;
}

static void clock_delay(void *ctx, uint32_t us)
{
    (void)ctx;
    if (dev.o->interactive) {
        struct timespec ts = { (time_t)(us / 1000000u),
                               (long)(us % 1000000u) * 1000L };
        nanosleep(&ts, NULL);
    } else {
        dev.now_us += us;
    }
}

static uint64_t limit_us(void)
{
    return (uint64_t)dev.o->timeout_ms * 1000u;
}

/* Has the run used up its time? */
static int timed_out(void)
{
    if (dev.o->timeout_ms == 0)
        return 0;
    if (dev.o->interactive)
        dev.now_us = real_us();
    return dev.before_us + dev.now_us >= limit_us();
}

/* ---- SPIFFS on plat's flash -------------------------------------------- */

/* The callbacks are the shadow's (spiffs_ram.c), a program or erase
** going to plat first. */
static int fs_prog(void *ctx, uint32_t addr, const void *buf, uint32_t n)
{
    const spiffs_ram_t *shadow = ctx;
    const uint8_t *b = buf;
    uint32_t i = spiffs_nor_sets(shadow->buf + addr, b, n);
    if (i < n)
        sim_error("simulator error: SPIFFS programs 0x%02x over 0x%02x"
                  " at flash 0x%x: NOR flash cannot turn a 0 bit into"
                  " 1 without an erase", b[i], shadow->buf[addr + i],
                  dev.fs_addr + addr + i);
    /* plat writes whole words: pad with 0xFF, which changes nothing */
    uint32_t a = dev.fs_addr + addr;
    uint32_t lo = a & ~3u, hi = (a + n + 3) & ~3u;
    uint8_t small[264], *tmp = small;
    if (hi - lo > sizeof small && (tmp = malloc(hi - lo)) == NULL)
        return SPIFFS_EIO;
    memset(tmp, 0xFF, hi - lo);
    memcpy(tmp + (a - lo), b, n);
    int r = plat_flash_write(lo, tmp, hi - lo);
    if (tmp != small)
        free(tmp);
    if (r == PLAT_EPOWER)
        halt(HALT_POWER);
    if (r < 0)
        return SPIFFS_EIO;
    return spiffs_ram_prog(ctx, addr, buf, n);
}

static int fs_erase(void *ctx, uint32_t addr, uint32_t size)
{
    for (uint32_t off = 0; off < size; off += PLAT_SECTOR_SIZE) {
        int r = plat_flash_erase((dev.fs_addr + addr + off) /
                                 PLAT_SECTOR_SIZE);
        if (r == PLAT_EPOWER)
            halt(HALT_POWER);
        if (r < 0)
            return SPIFFS_EIO;
        if ((r = spiffs_ram_erase(ctx, addr + off, PLAT_SECTOR_SIZE)) < 0)
            return r;
    }
    return 0;
}

static int fs_format(spiffs_t *fs)
{
    spiffs_config_t c = fs->cfg;
    c.fs_size = dev.fs_region;
    int r = spiffs_format(&c);
    return r < 0 ? r : spiffs_mount(fs, &c, SPIFFS_MOUNT_REPAIR);
}

static const plat_fs_ops_t spiffs_ops = {
    spiffs_stat, spiffs_read, spiffs_create, spiffs_append,
    spiffs_write_file, spiffs_rename, spiffs_remove, spiffs_list,
    spiffs_info, fs_format
};

/* Mount the FS as the firmware does (docs/spiffs.md §1.18), formatting the
** region when that fails. */
static void mount_fs(void)
{
    dev.have_fs = 0;
    if (dev.spiffs_size == 0 ||
        spiffs_fw_region(dev.spiffs_addr, dev.spiffs_size, &dev.fs_addr,
                         &dev.fs_region) < 0)
        return;
    free(dev.shadow);
    dev.shadow = malloc(dev.fs_region);
    if (dev.shadow == NULL ||
        plat_flash_read(dev.fs_addr, dev.shadow, dev.fs_region) < 0)
        sim_error("simulator error: cannot read the SPIFFS region");
    spiffs_config_t c;
    spiffs_ram_config(&dev.ram, dev.shadow, dev.fs_region, SPIFFS_RAM_NOR,
                      spiffs_fw_block_size(dev.fs_region), &c);
    c.prog = fs_prog;
    c.erase = fs_erase;
    uint32_t found;
    int r = spiffs_probe(&c, c.block_size, &found);
    if (r == 0 && found <= dev.fs_region) {
        c.fs_size = found;
        r = spiffs_mount(&dev.fs, &c, SPIFFS_MOUNT_REPAIR);
    } else if (r == 0) {
        r = SPIFFS_ENOTFS;              /* larger than the partition */
    }
    if (r < 0) {
        con_printf("Formatting file system. Please wait...\n");
        con_flush();
        c.fs_size = dev.fs_region;
        if (spiffs_format(&c) < 0 ||
            spiffs_mount(&dev.fs, &c, SPIFFS_MOUNT_REPAIR) < 0)
            return;
    }
    dev.pfs.op = &spiffs_ops;
    dev.pfs.fs = &dev.fs;
    dev.pfs.addr = dev.fs_addr;
    dev.pfs.size = dev.fs.cfg.fs_size;
    dev.have_fs = 1;
}

/* ---- the flash file ----------------------------------------------------- */

/* plat's watcher: write the change at [addr, addr + n) through to the
** file. Past the file's end the file grows from its end to the end of
** the change's sector (what lies between is erased flash), so it stays a
** whole number of sectors. */
static void write_through(void *ud, uint32_t addr, uint32_t n)
{
    uint8_t buf[PLAT_SECTOR_SIZE];
    uint32_t from = addr, to = addr + n;
    (void)ud;
    if (to > dev.file_len) {
        if (from > dev.file_len)
            from = (uint32_t)dev.file_len;
        to = (to + PLAT_SECTOR_SIZE - 1) & ~(uint32_t)(PLAT_SECTOR_SIZE - 1);
    }
    while (from < to) {
        uint32_t k = to - from < sizeof buf ? to - from : sizeof buf;
        if (plat_flash_read(from, buf, k) < 0)
            sim_error("simulator error: cannot read flash 0x%x", from);
        ssize_t w = pwrite(dev.fd, buf, k, from);
        if (w != (ssize_t)k)
            sim_error("cannot write flash 0x%x-0x%x to the file: %s", from,
                      from + k, w < 0 ? strerror(errno) : "short write");
        from += k;
        if (from > dev.file_len)
            dev.file_len = from;
    }
}

/* Read and check the file; set the flash size and the partitions. */
static int load_file(void)
{
    dev.fd = open(dev.o->flash, O_RDWR);
    if (dev.fd < 0) {
        err_line("cannot open for reading and writing: %s; give a flash"
                 " image made by flashimg compose", strerror(errno));
        return 1;
    }
    off_t end = lseek(dev.fd, 0, SEEK_END);
    if (end < 0 || end > (off_t)PLAT_FLASH_MAX) {
        err_line("%s; a flash image holds at most 16 MiB",
                 end < 0 ? strerror(errno) : "larger than any ESP8266 flash");
        return 1;
    }
    dev.file_len = (size_t)end;
    dev.file = malloc(dev.file_len ? dev.file_len : 1);
    if (dev.file == NULL ||
        pread(dev.fd, dev.file, dev.file_len, 0) != (ssize_t)dev.file_len) {
        err_line("cannot read the file");
        return 1;
    }
    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    flash_map_t f;
    if (flash_map_open(&f, dev.file, dev.file_len, 0, &d) < 0) {
        if (d.offset >= 0)
            err_line("byte 0x%lx: %s", d.offset, d.msg);
        else
            err_line("%s", d.msg);
        return 1;
    }
    if (dev.file_len % PLAT_SECTOR_SIZE) {
        err_line("0x%zx bytes: not a whole number of 4 KiB sectors (a"
                 " truncated copy?); use the whole image, or flashimg"
                 " compose --trim", dev.file_len);
        return 1;
    }
    if (f.flash_size < FLASH_MAP_MIN_FLASH) {
        err_line("the header says a 0x%x-byte flash; NodeMCU needs 1 MiB"
                 " or more (flashimg partition -fs corrects the header)",
                 f.flash_size);
        return 1;
    }
    dev.flash_size = f.flash_size;
    const ptab_item_t *lfs = flash_map_part(&f, PTAB_LFS0);
    const ptab_item_t *sp = flash_map_part(&f, PTAB_SPIFFS0);
    dev.lfs_addr = lfs ? lfs->addr : 0;
    dev.lfs_size = lfs ? lfs->size : 0;
    dev.spiffs_addr = sp ? sp->addr : 0;
    dev.spiffs_size = sp ? sp->size : 0;
    dev.rcr_write = 0;
    if (f.table.unplanned) {
        /* first boot writes the planned table back (docs/flash-layout.md §3) */
        const uint8_t *page = dev.file + PTAB_RCR_ADDR;
        if (ptab_write_page(page, &f.page, &f.plan, dev.rcr_new, &d) < 0) {
            err_line("partition table: %s", d.msg);
            return 1;
        }
        dev.rcr_write = 1;
    }
    return 0;
}

/* ---- LFS ---------------------------------------------------------------- */

static ldr51_cfg_t loader_cfg(int integral)
{
    ldr51_cfg_t c;
    memset(&c, 0, sizeof c);
    c.lfs_addr = dev.lfs_addr;
    c.lfs_size = dev.lfs_size;
    c.integral = integral;
    c.incremental = 1;
    return c;
}

/* The build of the LFS image in flash (valid or interrupted): 0 float,
** 1 integer, -1 none. */
static int flash_build(void)
{
    if (dev.lfs_size == 0)
        return -1;
    uint32_t sig = plat_load32(PLAT_FLASH_MAPPED + dev.lfs_addr);
    sig &= ~(LFS51_SIG_ABSOLUTE | LFS51_SIG_INPROG);
    return sig == LFS51_SIG_INT ? 1 : sig == LFS51_SIG_FLOAT ? 0 : -1;
}

/* Boot-time reload memory: a bump pool, never freed piecemeal, so a power
** cut in the middle leaks nothing. */
static void *pool_alloc(void *ctx, size_t n)
{
    (void)ctx;
    n = (n + 15) & ~(size_t)15;
    if (n > POOL_SIZE - dev.pool_used)
        return NULL;
    void *p = dev.pool + dev.pool_used;
    dev.pool_used += n;
    return p;
}

static void pool_free(void *ctx, void *p)
{
    (void)ctx;
    (void)p;
}

static void note_reload(const ldr_safe_result_t *res, double ms)
{
    if (!res->flash_touched)
        return;
    sim_dev_stats_t *st = dev.st;
    st->reloads++;
    st->reload_sectors = res->nsectors;
    st->reload_erased = res->erased;
    st->reload_written = res->written;
    st->reload_unchanged = res->unchanged;
    st->reload_ms = ms;
}

/* Finish a reload a power cut interrupted (ldr_safe.h). */
static void resume_reload(void)
{
    ldr_safe_t s;
    ldr_safe_result_t res;
    struct timespec t0;
    if (!dev.have_fs)
        return;
    s.cfg = loader_cfg(0);
    s.cfg.alloc = pool_alloc;
    s.cfg.free = pool_free;
    s.fs = &dev.pfs;
    dev.pool_used = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!ldr_safe_resume(&s, &res))
        return;
    if (res.code == LDR51_EFLASH && power_is_cut())
        halt(HALT_POWER);
    note_reload(&res, since(&t0));
    if (!res.name[0])
        return;                 /* an incomplete record: nothing began */
    if (res.code == 0 && res.erased + res.written == 0)
        return;                 /* the reload had completed */
    con_printf("LFS reload from %s interrupted; finishing it\n", res.name);
    con_printf("%s\n", res.code == 0 ? "LFS region updated." : res.msg);
}

/* ---- the VM's seams --------------------------------------------------- */

/* Reload work memory on the VM heap (userdata held by registry refs), so
** the device's limits hold: "Memory allocation error" when it is full. */
typedef struct heap_ctx {
    vm_State *L;
    size_t want;
    void *got;
    int ref;
    struct { void *p; int ref; } a[4];
} heap_ctx_t;

static int heap_new(vm_State *L)
{
    heap_ctx_t *h = vm_touserdata(L, 1);
    h->got = vm_newuserdata(L, h->want);
    h->ref = vm_ref(L, VM_REGISTRYINDEX);
    return 0;
}

static void *heap_alloc(void *ctx, size_t n)
{
    heap_ctx_t *h = ctx;
    int top = vm_gettop(h->L);
    h->want = n;
    h->got = NULL;
    int st = vm_cpcall(h->L, heap_new, h);
    vm_settop(h->L, top);
    if (st != 0)
        return NULL;
    for (int i = 0; i < 4; i++)
        if (h->a[i].p == NULL) {
            h->a[i].p = h->got;
            h->a[i].ref = h->ref;
            return h->got;
        }
    vm_unref(h->L, VM_REGISTRYINDEX, h->ref);
    return NULL;
}

static void heap_free(void *ctx, void *p)
{
    heap_ctx_t *h = ctx;
    for (int i = 0; i < 4; i++)
        if (h->a[i].p == p && p != NULL) {
            vm_unref(h->L, VM_REGISTRYINDEX, h->a[i].ref);
            h->a[i].p = NULL;
        }
}

/* node.LFS.reload(file): a pass-1 failure returns its message; anything
** else prints the firmware's line and restarts (ldr_safe.h). */
static int hook_reload(vm_State *L, const char *file)
{
    ldr_safe_t s;
    ldr_safe_result_t res;
    heap_ctx_t h;
    struct timespec t0;
    memset(&h, 0, sizeof h);
    h.L = L;
    s.cfg = loader_cfg(vm_integral(L));
    s.cfg.alloc = heap_alloc;
    s.cfg.free = heap_free;
    s.cfg.alloc_ctx = &h;
    s.fs = dev.have_fs ? &dev.pfs : NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ldr_safe_reload(&s, file, &res);
    note_reload(&res, since(&t0));
    if (!res.flash_touched) {
        vm_pushstring(L, res.msg);
        return 1;
    }
    if (res.code == LDR51_EFLASH && power_is_cut())
        halt(HALT_POWER);
    con_printf("%s\n", res.msg);
    halt(HALT_RELOAD);
}

static int hook_restart(vm_State *L)
{
    (void)L;
    dev.restart = 1;
    return 0;
}

/* ---- running Lua --------------------------------------------------------- */

static void report(vm_State *L, int status)
{
    if (status == 0)
        return;
    const char *msg = vm_tostring(L, -1);
    con_printf("lua: %s\n", msg ? msg : "(error object is not a string)");
    vm_pop(L, 1);
}

/* Call the function below nargs arguments, protected, errors on the
** console. nres results stay on the stack (VM_MULTRET: all). */
static int docall(vm_State *L, int nargs, int nres)
{
    int status = vm_pcalltrace(L, nargs, nres);
    report(L, status);
    con_flush();
    return status;
}

/* One line of console input, as the device's interpreter takes it. */
static void console_line(vm_State *L, const char *line)
{
    size_t n = strlen(line);
    if (lib_uart_hascallback()) {
        char buf[LINE_MAX_ + 1];
        memcpy(buf, line, n);
        buf[n] = '\n';
        lib_uart_feed(buf, n + 1);
        while (!dev.restart && lib_uart_pushdata(L))
            docall(L, 1, 0);
        if (!lib_uart_runinput())
            return;
    }
    int first = dev.chunk_len == 0;
    if (dev.chunk_len + n + 8 > dev.chunk_cap) {
        size_t cap = dev.chunk_len + n + 64;
        char *c = realloc(dev.chunk, cap);
        if (c == NULL)
            return;
        dev.chunk = c;
        dev.chunk_cap = cap;
    }
    if (first && line[0] == '=') {         /* "=expr": print its value */
        memcpy(dev.chunk, "return ", 7);
        memcpy(dev.chunk + 7, line + 1, n - 1);
        dev.chunk_len = 7 + n - 1;
    } else {
        memcpy(dev.chunk + dev.chunk_len, line, n);
        dev.chunk_len += n;
    }
    dev.chunk[dev.chunk_len++] = '\n';
    int st = vm_loadbuffer(L, dev.chunk, dev.chunk_len, "=stdin");
    if (st == VM_ERRSYNTAX) {
        size_t ml;
        const char *msg = vm_tolstring(L, -1, &ml);
        const char *eof = "'<eof>'";
        if (msg && ml >= strlen(eof) &&
            strcmp(msg + ml - strlen(eof), eof) == 0) {
            vm_pop(L, 1);                  /* incomplete: go on */
            return;
        }
    }
    int is_expr = strncmp(dev.chunk, "return ", 7) == 0 &&
                  dev.chunk_len > 0;
    dev.chunk_len = 0;
    if (st != 0) {
        report(L, st);
        con_flush();
        return;
    }
    int top = vm_gettop(L) - 1;
    if (docall(L, 0, VM_MULTRET) == 0 && is_expr && vm_gettop(L) > top) {
        int nres = vm_gettop(L) - top;
        vm_getglobal(L, "print");
        vm_insert(L, top + 1);
        docall(L, nres, 0);
    }
    vm_settop(L, top);
}

/* The next console line: 1 with it in line, 0 none ready yet (wait_ms
** passed), -1 no more input. */
static int next_line(char *line, int wait_ms)
{
    const sim_dev_opts_t *o = dev.o;
    if (dev.line_no < o->nlines) {
        snprintf(line, LINE_MAX_, "%s", o->lines[dev.line_no++]);
        return 1;
    }
    if (o->input_fd < 0)
        return -1;
    for (;;) {
        char *nl = memchr(dev.inbuf, '\n', dev.inlen);
        if (nl != NULL || (dev.in_eof && dev.inlen > 0) ||
            dev.inlen == sizeof dev.inbuf) {
            size_t n = nl ? (size_t)(nl - dev.inbuf) : dev.inlen;
            size_t take = n < LINE_MAX_ - 1 ? n : LINE_MAX_ - 1;
            memcpy(line, dev.inbuf, take);
            line[take] = 0;
            if (take > 0 && line[take - 1] == '\r')
                line[take - 1] = 0;
            size_t used = nl ? n + 1 : n;
            memmove(dev.inbuf, dev.inbuf + used, dev.inlen - used);
            dev.inlen -= used;
            return 1;
        }
        if (dev.in_eof)
            return -1;
        /* a poll even without a time limit: a signal interrupts it */
        struct pollfd p = { o->input_fd, POLLIN, 0 };
        int pr = poll(&p, 1, wait_ms);
        if (pr == 0 || (pr < 0 && errno == EINTR))
            return 0;
        ssize_t r = read(o->input_fd, dev.inbuf + dev.inlen,
                         sizeof dev.inbuf - dev.inlen);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            dev.in_eof = 1;
        else
            dev.inlen += (size_t)r;
    }
}

static void prompt(void)
{
    if (dev.o->interactive) {
        con_printf("%s", dev.chunk_len ? ">> " : "> ");
        con_flush();
    }
}

/* The event loop of one boot. */
static int event_loop(vm_State *L)
{
    char line[LINE_MAX_];
    int input_done = 0;
    prompt();
    for (;;) {
        if (stopping())
            return BOOT_STOP;
        if (dev.restart)
            return BOOT_RESTART;
        if (timed_out())
            return BOOT_TIMEOUT;
        if (lib_node_pushtask(L)) {
            docall(L, 1, 0);
            continue;
        }
        if (lib_tmr_pushdue(L, dev.o->interactive ? real_us()
                                                  : dev.now_us)) {
            docall(L, 1, 0);
            continue;
        }
        if (lib_uart_pushdata(L)) {
            docall(L, 1, 0);
            continue;
        }
        uint64_t next = 0;
        int have_timer = lib_tmr_next(&next);
        if (!input_done) {
            int wait = 0;
            if (dev.o->interactive && dev.line_no >= dev.o->nlines) {
                uint64_t now = real_us();
                wait = !have_timer ? -1 : next <= now ? 0
                     : (int)((next - now) / 1000u) + 1;
                if (dev.o->timeout_ms) {
                    uint64_t left = limit_us() - dev.before_us - now;
                    int lw = (int)(left / 1000u) + 1;
                    if (wait < 0 || lw < wait)
                        wait = lw;
                }
            } else if (!dev.o->interactive) {
                /* a pipe or a file: read to its end; one that stays
                ** silent for the whole time limit counts as ended */
                wait = dev.o->timeout_ms ? (int)dev.o->timeout_ms : -1;
            }
            int r = next_line(line, wait);
            if (stopping())
                return BOOT_STOP;
            if (r > 0) {
                console_line(L, line);
                if (!dev.restart)
                    prompt();
                continue;
            }
            if (r < 0 || !dev.o->interactive)
                input_done = 1;
            if (r == 0 && dev.o->interactive)
                continue;               /* a timer may be due now */
        }
        if (!have_timer)
            return BOOT_IDLE;
        if (dev.o->interactive) {
            uint64_t now = real_us();
            if (next > now) {
                struct timespec ts = { (time_t)((next - now) / 1000000u),
                                       (long)((next - now) % 1000000u) *
                                       1000L };
                nanosleep(&ts, NULL);
            }
            continue;
        }
        if (dev.o->timeout_ms && dev.before_us + next >= limit_us()) {
            dev.now_us = limit_us() - dev.before_us;
            return BOOT_TIMEOUT;
        }
        if (next > dev.now_us)
            dev.now_us = next;
    }
}

static void banner(int integral)
{
    con_printf("\nNodeMCU 3.0.0.0 (nodemcu-sim)\n"
               "\tbranch: simulator\n"
               "\tSSL: false\n"
               "\tbuild type: %s\n"
               "\tLFS: 0x%x bytes total capacity\n"
               "\tmodules: bit,crypto,encoder,file,node,sjson,struct,tmr,uart\n"
               " build powered by Lua 5.1.4 on SDK 3.0 (simulated)\n",
               integral ? "integer" : "float", dev.lfs_size);
}

/* Run init.lua from SPIFFS, as LUA_INIT_STRING "@init.lua" does. */
static void run_init(vm_State *L)
{
    char *data;
    size_t n;
    if (!dev.have_fs || lib_file_slurp(&dev.pfs, "init.lua", &data, &n)) {
        con_printf("lua: cannot open init.lua\n");
        return;
    }
    int st = vm_loadbuffer(L, data, n, "@init.lua");
    free(data);
    if (st != 0) {
        report(L, st);
        return;
    }
    docall(L, 0, 0);
}

/* One boot, from reset to the end of its event loop. */
static int boot(void)
{
    char msg[NOTE_MAX];
    dev.L = NULL;
    dev.halt = HALT_NONE;
    dev.restart = 0;
    dev.now_us = 0;
    dev.chunk_len = 0;
    clock_gettime(CLOCK_MONOTONIC, &dev.boot_t0);
    if (setjmp(dev.jb)) {
        /* the VM (if any) is abandoned where it stood; vm_open resets
        ** the arena at the next boot */
        dev.L = NULL;
        switch (dev.halt) {
        case HALT_POWER:
            return BOOT_POWER;
        case HALT_STOP:
            return BOOT_STOP;
        case HALT_RELOAD:
            dev.boot_reason = LIB_NODE_BOOT_SW_WDT;
            return BOOT_RESTART;
        default:
            return BOOT_FAILED;
        }
    }
    if (dev.rcr_write) {
        /* first boot: the planned table replaces the default one */
        int r = plat_flash_erase(PTAB_RCR_ADDR / PLAT_SECTOR_SIZE);
        if (r == 0)
            r = plat_flash_write(PTAB_RCR_ADDR, dev.rcr_new, PTAB_PAGE_SIZE);
        if (r == PLAT_EPOWER)
            halt(HALT_POWER);
        if (r < 0)
            sim_error("simulator error: cannot write the partition table");
        dev.rcr_write = 0;
    }
    mount_fs();
    resume_reload();
    int build = flash_build();
    dev.integral = build >= 0 ? build : dev.o->integral;
    ldr51_cfg_t cfg = loader_cfg(dev.integral);
    ldr51_lfs_t lfs;
    if (ldr51_boot(&cfg, &lfs, msg) != 0 && msg[0])
        con_printf("%s\n", msg);
    lib_file_setfs(dev.have_fs ? &dev.pfs : NULL);
    lib_node_hooks_t hooks;
    memset(&hooks, 0, sizeof hooks);
    hooks.reload = hook_reload;
    hooks.restart = hook_restart;
    hooks.spiffs_addr = dev.spiffs_addr;
    hooks.spiffs_size = dev.spiffs_size;
    hooks.boot_reason = dev.boot_reason;
    lib_node_sethooks(&hooks);
    lib_tmr_clock_t clk = { clock_now, clock_delay, NULL };
    lib_tmr_setclock(&clk);
    vm_config vc;
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.integral = dev.integral;
    vc.gc_stress = dev.o->gc_stress;
    vc.write = vm_console;
    vc.compile = dev.o->compile;
    vc.compile_ud = dev.o->compile_ud;
    vc.lfs_mapped = lfs.base;
    vc.lfs_base = dev.lfs_addr;
    vc.lfs_size = dev.lfs_size;
    vm_State *L = vm_open(&vc);
    if (L == NULL) {
        snprintf(dev.simerr, sizeof dev.simerr, "the heap of %u bytes"
                 " cannot hold the Lua state; give a larger --heap",
                 plat_heap_size());
        return BOOT_FAILED;
    }
    dev.L = L;
    if (dev.o->banner)
        banner(dev.integral);
    if (dev.st->boots == 1)
        dev.st->boot_ms = since(&dev.t0);
    run_init(L);
    int end = event_loop(L);
    vm_heapstats hs;
    vm_heap(L, &hs);
    if (hs.peak > dev.st->heap_peak)
        dev.st->heap_peak = hs.peak;
    dev.L = NULL;
    vm_close(L);
    return end;
}

/* ---- the run ------------------------------------------------------------ */

static void reset_state(void)
{
    free(dev.file);
    free(dev.shadow);
    free(dev.chunk);
    free(dev.pool);
    memset(&dev, 0, sizeof dev);
    dev.fd = -1;
}

int sim_dev_run(const sim_dev_opts_t *o, sim_dev_stats_t *stp)
{
    sim_dev_stats_t dummy;
    sim_dev_stats_t *st = stp ? stp : &dummy;
    memset(st, 0, sizeof *st);
    reset_state();
    dev.o = o;
    dev.st = st;
    clock_gettime(CLOCK_MONOTONIC, &dev.t0);
    st->end = SIM_DEV_FAILED;
    int rc = load_file();
    if (rc) {
        if (dev.fd >= 0)
            close(dev.fd);
        reset_state();
        return rc;
    }
    plat_config_t pc = { dev.flash_size, o->heap_size };
    if (plat_init(&pc) != 0) {
        fprintf(stderr, "%s: cannot create the device (heap %u bytes: a"
                " multiple of %u from %u to %u)\n", o->prog, o->heap_size,
                PLAT_HEAP_ALIGN, PLAT_HEAP_MIN, PLAT_DRAM_SIZE);
        close(dev.fd);
        reset_state();
        return 2;
    }
    dev.pool = malloc(POOL_SIZE);
    /* plat_init's flash is erased: one write puts the file in; from then
    ** on every change goes through to the file */
    if (dev.file_len &&
        plat_flash_write(0, dev.file, (uint32_t)dev.file_len) != 0) {
        err_line("cannot put the image into the simulated flash");
        rc = 1;
    }
    free(dev.file);
    dev.file = NULL;
    plat_flash_watch(write_through, NULL);
    plat_flash_stats(&dev.base);
    if (o->power_cut >= 0)
        plat_flash_power_cut_after(o->power_cut);
    dev.boot_reason = LIB_NODE_BOOT_POWER_ON;
    while (rc == 0) {
        st->boots++;
        int end = boot();
        dev.before_us += dev.now_us;
        if (end == BOOT_FAILED) {
            err_line("%s", dev.simerr);
            rc = 1;
            break;
        }
        if (end == BOOT_RESTART) {
            if (!dev.halt)
                dev.boot_reason = LIB_NODE_BOOT_RESTART;
            if (st->boots > (uint32_t)o->reboots) {
                st->end = SIM_DEV_REBOOTS;
                break;
            }
            continue;
        }
        st->end = end == BOOT_IDLE ? SIM_DEV_IDLE
                : end == BOOT_TIMEOUT ? SIM_DEV_TIMEOUT
                : end == BOOT_STOP ? SIM_DEV_STOPPED : SIM_DEV_POWER;
        break;
    }
    con_flush();
    plat_flash_stats_t s;
    plat_flash_stats(&s);
    st->erases = s.erases - dev.base.erases;
    st->writes = s.writes - dev.base.writes;
    st->device_us = dev.before_us;
    plat_flash_power_on();
    plat_deinit();
    lib_file_setfs(NULL);
    lib_node_sethooks(NULL);
    lib_tmr_setclock(NULL);
    close(dev.fd);
    reset_state();
    return rc;
}
