/*
** sim_main.c: nodemcu-sim, the device simulator's command line. Boots the
** simulated ESP8266 (sim_host.c) with an optional LFS image, then runs -e
** statements and a script file the way lua5.1 runs them, with the device's
** heap and console. Exit status: 0 ok, 1 a Lua error or a bad image, 2 bad
** usage.
** May call: sim_host, vm.h, luac-cross (the host source compiler), libc.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/sim_host.h"
#include "luac-cross/luac_front.h"

#define PROG "nodemcu-sim"
#define VERSION "0.1.0"
#define MAX_STATS 64

static void help(void)
{
    printf(
"usage: %s [options] [script [args]]\n"
"Run Lua on a simulated NodeMCU ESP8266 (Lua 5.1 firmware): the device's\n"
"heap, read-only flash and LFS, with the console on standard output.\n"
"\n"
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
"file; the remaining arguments are its ... values.\n", PROG);
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

int main(int argc, char **argv)
{
    sim_opts_t o;
    const char *stats[MAX_STATS];
    int nstats = 0, peak = 0, i;
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
    if (nstats == 0 && i >= argc)
        return usage("%s", "nothing to run: give -e STAT or a script");

    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    luac_front_t *fe = luac_front51_open(&d);   /* NULL: .lc files only */
    o.compile = fe ? luac_vm_compile51 : NULL;
    o.compile_ud = fe;

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
