/*
** sim_main.c: nodemcu-sim, the device simulator's command line. Two ways
** to run:
**   --lfs / none  boots the simulated ESP8266 (sim_host.c) with an
**                 optional LFS image, then runs -e statements and a script
**                 file the way lua5.1 runs them, with the device's heap and
**                 console. Exit status: 0 ok, 1 a Lua error or a bad image,
**                 2 bad usage.
**   --flash FILE  boots a whole flash image as release firmware does and
**                 runs its init.lua and event loop (sim_dev_host.c); -e
**                 lines and standard input are console input. Every flash
**                 change reaches FILE as it happens; SIGTERM or SIGINT
**                 stops the device at its next event, console output or
**                 input (a second one kills at once). Exit status: 0 the
**                 run ended (idle, --timeout, a power cut, the reboot
**                 limit), 1 a bad flash image, 2 bad usage, 128 + N
**                 stopped by signal N.
** Both: exit status 1 when standard output could not be written.
** May call: sim_host, sim_dev, vm.h, luac-cross (the host source
** compiler), lfs_cli, libc, POSIX (isatty, sigaction).
*/
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/host/sim_dev.h"
#include "firmware/host/sim_host.h"
#include "lfs/lfs_cli.h"
#include "luac-cross/luac_front.h"

#define PROG "nodemcu-sim"
#define VERSION "0.1.0"
#define MAX_STATS 64

#define REBOOTS_DEFAULT 10

/* The signal that asked --flash to stop, or 0. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

/* SIGTERM and SIGINT stop the device cleanly; the handler is reset, so a
** second one ends the process at once (the file has every change). */
static void catch_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

static void help(void)
{
    printf(
"usage: %s [options] [script [args]]\n"
"       %s --flash FLASH.bin [-e STAT]... [--timeout S] [--power-cut N] ...\n"
"Run Lua on a simulated NodeMCU ESP8266 (Lua 5.1 firmware): the device's\n"
"heap, read-only flash and LFS, with the console on standard output.\n"
"\n"
"  --flash FILE  boot a whole flash image (flashimg compose) as release\n"
"                firmware does: partition table, SPIFFS (formatted if it\n"
"                does not mount), LFS, init.lua from SPIFFS, then timers,\n"
"                tasks and console input (the -e lines, then standard\n"
"                input: a prompt on a terminal) until none is left;\n"
"                node.restart and node.LFS.reload boot again from the same\n"
"                flash. Every flash change reaches FILE as it happens;\n"
"                SIGTERM or SIGINT stops the device (exit status 128 + N)\n"
"  --timeout S   with --flash: stop after S seconds of device time\n"
"                (virtual, so runs are fast and repeatable; the host's\n"
"                clock when the console is a terminal)\n"
"  --power-cut N with --flash: cut the power after N flash erases and\n"
"                writes; FILE keeps the flash as it was at the cut\n"
"  --reboots N   with --flash: restarts allowed (default 10)\n"
"  --no-banner   with --flash: no NodeMCU boot banner\n"
"  --flash-stats with --flash: flash operations, LFS reload sectors and\n"
"                boot time on standard error at the end\n"
"  --lfs IMAGE   load IMAGE into the LFS partition (flash 0x80000, 256 KiB)\n"
"                and map it at boot: a relocatable image (luac.cross -f) is\n"
"                written as node.LFS.reload writes it, an absolute one (-a\n"
"                0x40280000) as esptool does; its build (float or integer)\n"
"                chooses the VM\n"
"  -e STAT       run the Lua statement STAT (repeatable, in order, before\n"
"                the script), e.g. -e 'LFS.main()'\n"
"  --heap BYTES  heap arena size (default 45056, the ESP8266's free heap;\n"
"                4096 to 81920, a multiple of 8)\n"
"  --int         integer VM when no image is given (default: float)\n"
"  --gc-stress   a full garbage collection at every allocation\n"
"  --peak-heap   print 'peak heap: N bytes' on standard error at exit\n"
"  --help, --version\n"
"\n"
"script is a .lua file (compiled on the host as luac.cross would) or a .lc\n"
"file; the remaining arguments are its ... values. Libraries: the Lua 5.1\n"
"ones, node, file (SPIFFS, with --flash), tmr, uart, bit, encoder,\n"
"struct, crypto and sjson.\n", PROG, PROG);
}

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", PROG);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: %s [options] [script [args]]; try '%s"
            " --help'\n", PROG, PROG);
    return 2;
}

static int parse_heap(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || *end || end == s || v > 0xFFFFFFFFul)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* Seconds (a decimal fraction allowed) as milliseconds, 1 ms to 30 days. */
static int parse_seconds(const char *s, uint32_t *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !(v >= 0.001) || v > 2592000.0)
        return -1;
    *ms = (uint32_t)(v * 1000.0 + 0.5);
    return 0;
}

static int parse_count(const char *s, int32_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 0 || v > 0x7FFFFFFFL)
        return -1;
    *out = (int32_t)v;
    return 0;
}

/* --flash: the device runs until its event loop ends. */
static int run_flash(sim_opts_t *o, const char *flash, const char **stats,
                     int nstats, uint32_t timeout_ms, int32_t power_cut,
                     int32_t reboots, int banner, int show_stats,
                     int peak)
{
    sim_dev_opts_t d;
    sim_dev_stats_t st;
    memset(&d, 0, sizeof d);
    d.prog = PROG;
    d.flash = flash;
    d.heap_size = o->heap_size;
    d.gc_stress = o->gc_stress;
    d.integral = o->integral;
    d.compile = o->compile;
    d.compile_ud = o->compile_ud;
    d.timeout_ms = timeout_ms;
    d.reboots = reboots;
    d.power_cut = power_cut;
    d.banner = banner;
    d.lines = stats;
    d.nlines = nstats;
    d.input_fd = 0;
    d.interactive = isatty(0);
    d.stop = &stop_signal;
    catch_stop();
    int rc = sim_dev_run(&d, &st);
    fflush(stdout);
    if (rc == 0 && st.end == SIM_DEV_STOPPED) {
        fprintf(stderr, "%s: stopped by %s; %s holds every flash change"
                " made before it\n", PROG,
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM", flash);
        rc = 128 + stop_signal;
    }
    if (rc == 0 && st.end == SIM_DEV_POWER)
        fprintf(stderr, "%s: power cut after %d flash operations; %s holds"
                " the flash as it was\n", PROG, power_cut, flash);
    if (rc == 0 && st.end == SIM_DEV_REBOOTS)
        fprintf(stderr, "%s: stopped at restart %u (--reboots %d)\n", PROG,
                st.boots, reboots);
    if (rc == 0 && peak)
        fprintf(stderr, "peak heap: %u bytes\n", st.heap_peak);
    if (rc == 0 && show_stats) {
        fprintf(stderr, "flash: %u erases, %u writes; %u boots, %.3f s of"
                " device time; boot to init.lua %.2f ms\n", st.erases,
                st.writes, st.boots, (double)st.device_us / 1e6, st.boot_ms);
        if (st.reloads)
            fprintf(stderr, "LFS reload: %u sectors: %u erased, %u written,"
                    " %u unchanged; %.2f ms\n", st.reload_sectors,
                    st.reload_erased, st.reload_written, st.reload_unchanged,
                    st.reload_ms);
    }
    return rc;
}

static int run(int argc, char **argv)
{
    sim_opts_t o;
    const char *stats[MAX_STATS];
    int nstats = 0, peak = 0, i;
    const char *flash = NULL;
    uint32_t timeout_ms = 0;
    int32_t power_cut = -1, reboots = REBOOTS_DEFAULT;
    int banner = 1, show_stats = 0, flash_only = 0;
    memset(&o, 0, sizeof o);
    o.prog = PROG;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help();
            return 0;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) {
            printf("%s %s (Lua 5.1 firmware VM)\n", PROG, VERSION);
            return 0;
        } else if (strcmp(a, "--lfs") == 0 || strcmp(a, "-e") == 0 ||
                   strcmp(a, "--heap") == 0) {
            if (i + 1 >= argc)
                return usage("'%s' needs an argument", a);
            const char *v = argv[++i];
            if (a[1] == 'e') {
                if (nstats == MAX_STATS)
                    return usage("more than 64 '%s' options", a);
                stats[nstats++] = v;
            } else if (a[2] == 'l') {
                o.lfs_image = v;
            } else if (parse_heap(v, &o.heap_size)) {
                return usage("--heap '%s' is not a number of bytes", v);
            }
        } else if (strcmp(a, "--flash") == 0 ||
                   strcmp(a, "--timeout") == 0 ||
                   strcmp(a, "--power-cut") == 0 ||
                   strcmp(a, "--reboots") == 0) {
            if (i + 1 >= argc)
                return usage("'%s' needs an argument", a);
            const char *v = argv[++i];
            if (a[2] == 'f') {
                flash = v;
            } else if (a[2] == 't') {
                if (parse_seconds(v, &timeout_ms))
                    return usage("--timeout '%s' is not a number of seconds",
                                 v);
                flash_only = 1;
            } else if (a[2] == 'p') {
                if (parse_count(v, &power_cut))
                    return usage("--power-cut '%s' is not a count of flash"
                                 " operations", v);
                flash_only = 1;
            } else {
                if (parse_count(v, &reboots))
                    return usage("--reboots '%s' is not a count", v);
                flash_only = 1;
            }
        } else if (strcmp(a, "--no-banner") == 0) {
            banner = 0;
            flash_only = 1;
        } else if (strcmp(a, "--flash-stats") == 0) {
            show_stats = 1;
            flash_only = 1;
        } else if (strcmp(a, "--int") == 0) {
            o.integral = 1;
        } else if (strcmp(a, "--gc-stress") == 0) {
            o.gc_stress = 1;
        } else if (strcmp(a, "--peak-heap") == 0) {
            peak = 1;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage("unknown option '%s'", a);
        } else {
            break;
        }
    }
    if (flash && o.lfs_image)
        return usage("%s", "--flash boots the LFS of the flash image; give"
                     " --lfs or --flash, not both");
    if (flash && i < argc)
        return usage("--flash runs init.lua from the image's SPIFFS, not a"
                     " script ('%s'); use -e or standard input", argv[i]);
    if (!flash && flash_only)
        return usage("%s", "--timeout, --power-cut, --reboots, --no-banner"
                     " and --flash-stats need --flash");
    if (!flash && nstats == 0 && i >= argc)
        return usage("%s", "nothing to run: give -e STAT or a script");

    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    /* NULL: .lc files only */
    luac_front_t *fe = luac_front_open(LUAC_LUA51, &d);
    o.compile = fe ? luac_vm_compile51 : NULL;
    o.compile_ud = fe;

    if (flash) {
        int rc = run_flash(&o, flash, stats, nstats, timeout_ms, power_cut,
                           reboots, banner, show_stats, peak);
        if (fe)
            luac_front_close(fe);
        return rc;
    }

    vm_State *L;
    int rc = sim_boot(&o, &L);
    if (rc == 0) {
        for (int k = 0; rc == 0 && k < nstats; k++)
            rc = sim_dostring(L, PROG, stats[k]);
        if (rc == 0 && i < argc)
            rc = sim_dofile(L, PROG, argv[i], argc - i - 1, argv + i + 1);
        if (peak) {
            vm_heapstats st;
            vm_heap(L, &st);
            fprintf(stderr, "peak heap: %u bytes\n", st.peak);
        }
        sim_shutdown(L);
    }
    if (fe)
        luac_front_close(fe);
    return rc;
}

int main(int argc, char **argv)
{
    return lfs_cli_exit(PROG, run(argc, argv));
}
