/*
** luac_main.c: the luac.cross command line (docs/lfs51.md §7, docs/lfs53.md
** §11): options, the job they describe, usage errors and exit codes (0 ok, 1
** bad input, 2 bad usage); the job itself runs in luac_run (compiling),
** luac_inspect and luac_inspect53 (-l and --verify of binaries) or
** luac_emulate (-F). An output that is one of the inputs is refused, and
** a run whose standard output could not be written exits 1.
** May call: luac_run, luac_run53, luac_inspect, luac_inspect53,
** luac_emulate, lfs/, libc.
*/
#include "luac-cross/luac.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lfs/lfs51.h"
#include "lfs/lfs_cli.h"
#include "lfs/lfs_file.h"
#include "luac-cross/luac_run.h"

/* parse_args: --help or --version was the whole job. */
#define DONE (-1)

static void usage_line(FILE *f)
{
    fprintf(f, "usage: %s [options] [files]; try '%s --help'\n", LUAC_PROG,
            LUAC_PROG);
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", LUAC_PROG);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    usage_line(stderr);
    return 2;
}

static void help(void)
{
    printf(
"usage: %s [options] [files]\n"
"Compile Lua 5.1 or 5.3 sources for NodeMCU firmware: LFS images or .lc\n"
"files.\n"
"\n"
"  -f           relocatable LFS image (gzip), for node.LFS.reload\n"
"  -a ADDR      absolute LFS image for the mapped address ADDR (e.g.\n"
"               0x40280000 for a partition at flash 0x80000); for esptool\n"
"  -m SIZE      fail if the image exceeds SIZE bytes (multiple of 4096);\n"
"               implies -f\n"
"  -i           .lc output whose main is the LFS-style module index\n"
"  -o FILE      output file (default luac.out; '-' is standard output)\n"
"  -e FILE      run FILE on the host first; a function it returns becomes\n"
"               the first module\n"
"  -F IMAGE     with -e FILE: run FILE in the firmware VM (nodemcu-sim's)\n"
"               with IMAGE as the LFS, instead of compiling\n"
"  -l           list: of the compiled sources, or of an image or .lc file\n"
"               given as the only input (-l -l: also constants)\n"
"  -p           parse only\n"
"  -s           strip debug information from .lc output\n"
"  -v           print the version\n"
"  -            read source from standard input; --  ends options\n"
"  --target T   5.1-float (default; double numbers) or 5.1-int\n"
"               (LUA_NUMBER_INTEGRAL firmware: 32-bit integer numbers);\n"
"               5.3-float (Lua 5.3, 32-bit integers and floats, the\n"
"               ESP8266 default) or 5.3-64 (LUA_NUMBER_64BITS)\n"
"  --seed N     5.3 string hash seed (default: from the timestamp)\n"
"  --timestamp N  build time stored in the image (default:\n"
"               $SOURCE_DATE_EPOCH, else now)\n"
"  --verify     check the image given as input as node.LFS.reload's\n"
"               first pass does; prints OK or the firmware's error\n"
"  --lfs-size N LFS partition size for --verify (default 0x10000)\n"
"  --help, --version\n"
"\n"
"Module names come from file names: dir/foo.lua is module foo.\n",
        LUAC_PROG);
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_args(int argc, char **argv, luac_job_t *j)
{
    int opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || strcmp(a, "-") == 0) {
            if (j->ninputs == LUAC_MAX_INPUTS)
                return usage_error("too many input files (at most %d)",
                                   LUAC_MAX_INPUTS);
            j->inputs[j->ninputs++] = a;
            continue;
        }
#define NEED_ARG()                                                         \
        if (i + 1 >= argc)                                                 \
            return usage_error("'%s' needs an argument", a);               \
        const char *arg = argv[++i]
        if (strcmp(a, "--") == 0) {
            opts_done = 1;
        } else if (strcmp(a, "-l") == 0) {
            j->listing++;
        } else if (strcmp(a, "-f") == 0) {
            j->lfs = 1;
        } else if (strcmp(a, "-i") == 0) {
            j->index_main = 1;
        } else if (strcmp(a, "-p") == 0) {
            j->parse_only = 1;
        } else if (strcmp(a, "-s") == 0) {
            j->strip = 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
            printf("%s %s (Lua 5.1 and 5.3 for NodeMCU; compiles with"
                   " Debian's liblua5.1 and liblua5.3)\n", LUAC_PROG,
                   LUAC_VERSION);
            if (argc == 2)
                return DONE;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help();
            return DONE;
        } else if (strcmp(a, "-o") == 0) {
            NEED_ARG();
            j->output = arg;
        } else if (strcmp(a, "-e") == 0) {
            NEED_ARG();
            j->escript = arg;
        } else if (strcmp(a, "-F") == 0) {
            NEED_ARG();
            j->flash_image = arg;
        } else if (strcmp(a, "-a") == 0) {
            NEED_ARG();
            if (parse_u32(arg, &j->absolute))
                return usage_error("-a %s: not a number; give the mapped"
                                   " address, e.g. 0x40280000", arg);
            if (j->absolute < LFS51_ABS_MIN || j->absolute >= LFS51_ABS_MAX ||
                j->absolute % 4096)
                return usage_error("-a 0x%08" PRIx32 ": the address must be"
                                   " 4 KiB-aligned (a partition starts on a"
                                   " flash sector) and within the mapped"
                                   " flash window 0x%08x..0x%08x", j->absolute,
                                   LFS51_ABS_MIN, LFS51_ABS_MAX);
            j->lfs = 1;
        } else if (strcmp(a, "-m") == 0) {
            NEED_ARG();
            if (parse_u32(arg, &j->maxsize) || j->maxsize == 0 ||
                j->maxsize % 4096)
                return usage_error("-m %s: the maximum image size must be a"
                                   " positive multiple of 4096", arg);
            j->lfs = 1;
        } else if (strcmp(a, "--target") == 0) {
            NEED_ARG();
            if (strcmp(arg, "5.1-float") == 0)
                j->target = LUAC_T51_FLOAT;
            else if (strcmp(arg, "5.1-int") == 0)
                j->target = LUAC_T51_INT;
            else if (strcmp(arg, "5.3-float") == 0)
                j->target = LUAC_T53_FLOAT;
            else if (strcmp(arg, "5.3-64") == 0)
                j->target = LUAC_T53_64;
            else
                return usage_error("--target %s: unknown; use 5.1-float or"
                                   " 5.1-int (Lua 5.1), 5.3-float or 5.3-64"
                                   " (Lua 5.3)", arg);
        } else if (strcmp(a, "--seed") == 0) {
            NEED_ARG();
            if (parse_u32(arg, &j->seed))
                return usage_error("--seed %s: give a 32-bit number", arg);
            j->have_seed = 1;
        } else if (strcmp(a, "--timestamp") == 0) {
            NEED_ARG();
            char *end;
            errno = 0;
            long long v = strtoll(arg, &end, 10);
            if (errno || end == arg || *end || v < 0 || v > INT32_MAX)
                return usage_error("--timestamp %s: give seconds since"
                                   " 1970 (0..2147483647)", arg);
            j->timestamp = v;
            j->have_timestamp = 1;
        } else if (strcmp(a, "--verify") == 0) {
            j->verify = 1;
        } else if (strcmp(a, "--lfs-size") == 0) {
            NEED_ARG();
            if (parse_u32(arg, &j->lfs_size) || j->lfs_size == 0)
                return usage_error("--lfs-size %s: give a size in bytes",
                                   arg);
        } else {
            return usage_error("unrecognized option '%s'", a);
        }
#undef NEED_ARG
    }
    return 0;
}

static int pick_timestamp(luac_job_t *j)
{
    if (j->have_timestamp)
        return 0;
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (errno || *end || v < 0 || v > INT32_MAX) {
            fprintf(stderr, "%s: SOURCE_DATE_EPOCH=%s is not seconds since"
                    " 1970; unset it or fix it\n", LUAC_PROG, e);
            return 2;
        }
        j->timestamp = v;
        return 0;
    }
    j->timestamp = (int64_t)time(NULL);
    return 0;
}

/* The output must not be one of the inputs: writing it would destroy
** that input. */
static int check_output(const luac_job_t *j)
{
    lfs_diag_t d;
    lfs_diag_init(&d, j->output);
    for (int i = 0; i < j->ninputs; i++)
        lfs_file_check_output(j->output, j->inputs[i], &d);
    if (j->escript)
        lfs_file_check_output(j->output, j->escript, &d);
    return d.code ? luac_run_report(&d) : 0;
}

static int run(int argc, char **argv)
{
    luac_job_t j;
    memset(&j, 0, sizeof j);
    j.lfs_size = 0x10000;
    int rc = parse_args(argc, argv, &j);
    if (rc)
        return rc == DONE ? 0 : rc;
    /* NodeMCU's 5.1 tool writes luac.out, its 5.3 tool luac.cross.out. */
    const char *defout = luac_target_lua(j.target) == LUAC_LUA53
                         ? "luac.cross.out" : "luac.out";
    if (!j.output)
        j.output = defout;
    if (j.flash_image) {
        if (!j.escript)
            return usage_error("-F %s needs -e FILE: the script to run with"
                               " the image as LFS", j.flash_image);
        if (j.ninputs || j.lfs || j.listing || j.verify)
            return usage_error("-F runs a script; compile sources in a"
                               " separate luac.cross call");
        return luac_emulate(j.flash_image, j.escript);
    }
    if (j.verify || (j.listing && j.ninputs == 1 && !j.lfs && !j.escript &&
                     luac_is_binary(j.inputs[0]))) {
        if (j.ninputs != 1)
            return usage_error("--verify and -l of an image take exactly"
                               " one file");
        return luac_inspect(j.inputs[0], j.listing > 1, j.verify, j.target,
                            j.lfs_size);
    }
    if (j.ninputs == 0 && !j.escript) {
        if (j.listing || j.parse_only) {
            j.inputs[j.ninputs++] = defout;
            return luac_inspect(defout, j.listing > 1, 0, j.target,
                                j.lfs_size);
        }
        return usage_error("no input files given");
    }
    if ((rc = pick_timestamp(&j)) != 0)
        return rc;
    if (!j.parse_only && (rc = check_output(&j)) != 0)
        return rc;
    if (luac_target_lua(j.target) == LUAC_LUA53 && j.absolute &&
        j.ninputs == 1 && !j.escript && luac_is_lua53(j.inputs[0]))
        return luac_run53_convert(&j);
    return luac_run(&j);
}

int main(int argc, char **argv)
{
    return lfs_cli_exit(LUAC_PROG, run(argc, argv));
}
