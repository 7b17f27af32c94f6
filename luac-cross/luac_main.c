/*
** luac_main.c: the luac.cross command line (lfs51.md §7): options, the job
** they describe, one-line errors and exit codes (0 ok, 1 bad input, 2 bad
** usage). Output is built in memory and written atomically, so a failed
** run never leaves a partial or empty file.
** May call: lfs/, luac_front, luac_check51, libc.
*/
#include "luac-cross/luac.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lfs/gz.h"
#include "lfs/lc51.h"
#include "lfs/lfs51.h"
#include "lfs/lfs51_list.h"
#include "lfs/lfs_file.h"
#include "luac-cross/luac_front.h"

#define MAX_SOURCE (64u << 20)      /* larger sources are refused */
#define MAX_INPUTS 4096

typedef struct job {
    const char *inputs[MAX_INPUTS];
    int ninputs;
    const char *output;
    const char *escript;        /* -e */
    const char *flash_image;    /* -F */
    int listing;                /* -l count */
    int lfs;                    /* -f, -a or -m */
    int index_main;             /* -i */
    int parse_only, strip, verify;
    uint32_t absolute;          /* -a */
    uint32_t maxsize;           /* -m, 0: none */
    uint32_t lfs_size;          /* --lfs-size for --verify */
    luac_target_t target;
    int64_t timestamp;
    int have_timestamp;
    uint32_t seed;              /* --seed, 5.3 images */
    int have_seed;
} job_t;

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

static int report(const lfs_diag_t *d)
{
    char line[1024];
    lfs_diag_format(d, LUAC_PROG, line, sizeof line);
    fprintf(stderr, "%s\n", line);
    return d->code == LFS_EUSAGE ? 2 : 1;
}

static void warn(const char *msg)
{
    fprintf(stderr, "%s: warning: %s\n", LUAC_PROG, msg);
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

static int parse_args(int argc, char **argv, job_t *j)
{
    int opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || strcmp(a, "-") == 0) {
            if (j->ninputs == MAX_INPUTS)
                return usage_error("too many input files (at most %d)",
                                   MAX_INPUTS);
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
                exit(0);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help();
            exit(0);
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

static int pick_timestamp(job_t *j)
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

/* ---- compiling -------------------------------------------------------- */

typedef struct unit {
    lfs_proto_t *f;
    lfs_str_t name;
    const char *file;
} unit_t;

static int compile_one(luac_front_t *fe, job_t *j, const char *path,
                       lfs_model_t *m, unit_t *u)
{
    lfs_diag_t d;
    uint8_t *src;
    size_t len;
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "stdin" : path;
    lfs_diag_init(&d, shown);
    if (lfs_file_read(path, MAX_SOURCE, &src, &len, &d))
        return report(&d);
    if (len >= 4 && memcmp(src, "\033Lua", 4) == 0) {
        free(src);
        lfs_fail(&d, 0, LFS_EFORMAT, "is precompiled bytecode; give"
                 " luac.cross the .lua source");
        return report(&d);
    }
    size_t cl = strlen(shown) + 2;
    char *chunk = malloc(cl);
    if (!chunk) {
        free(src);
        lfs_fail(&d, -1, LFS_ENOMEM, "out of memory");
        return report(&d);
    }
    snprintf(chunk, cl, "%s%s", is_stdin ? "=" : "@", shown);
    int rc = luac_compile51(fe, (const char *)src, len, chunk, shown,
                            j->target, m, &d, warn, &u->f);
    free(chunk);
    free(src);
    if (rc)
        return report(&d);
    u->file = shown;
    return 0;
}

static int name_units(unit_t *u, int n, lfs_model_t *m)
{
    for (int i = 0; i < n; i++) {
        char name[256];
        lfs51_module_name(u[i].f->source, name, sizeof name);
        if (lfs_model_str(m, name, (uint32_t)strlen(name), &u[i].name)) {
            fprintf(stderr, "%s: out of memory\n", LUAC_PROG);
            return 1;
        }
        for (int k = 0; k < i; k++)
            if (lfs_str_eq(u[k].name, u[i].name)) {
                fprintf(stderr, "%s: %s: module name '%s' is also the name"
                        " of %s; rename one of the files\n", LUAC_PROG,
                        u[i].file, name, u[k].file);
                return 1;
            }
    }
    return 0;
}

/* The stock luac main over several chunks: call each in turn. */
static lfs_proto_t *combine(unit_t *u, int n, lfs_model_t *m)
{
    lfs_proto_t *f = lfs_model_proto(m);
    if (!f || lfs_model_str(m, "=(luac)", 7, &f->source))
        return NULL;
    f->maxstacksize = 1;
    f->sizecode = 2 * n + 1;
    f->sizep = n;
    f->code = lfs_model_alloc(m, 4 * (size_t)f->sizecode);
    f->p = lfs_model_alloc(m, sizeof *f->p * (size_t)n);
    if (!f->code || !f->p)
        return NULL;
    for (int i = 0; i < n; i++) {
        f->p[i] = u[i].f;
        f->code[2 * i] = 36u | (uint32_t)i << 14;              /* CLOSURE */
        f->code[2 * i + 1] = 28u | 1u << 23 | 1u << 14;        /* CALL */
    }
    f->code[2 * n] = 30u | 1u << 23;                           /* RETURN */
    return f;
}

static int write_output(job_t *j, const uint8_t *p, size_t n)
{
    lfs_diag_t d;
    lfs_diag_init(&d, j->output);
    return lfs_file_write(j->output, p, n, &d) ? report(&d) : 0;
}

/* The function the output holds: the LFS module index (-f, -a, -i), the
** one compiled file, or a main that runs several in turn. */
static lfs_proto_t *output_main(job_t *j, unit_t *u, int n, lfs_model_t *m)
{
    if (!j->lfs && !j->index_main)
        return n == 1 ? u[0].f : combine(u, n, m);
    if (n > LFS51_MAXMODULES) {
        fprintf(stderr, "%s: %d modules; a Lua 5.1 LFS image holds at most"
                " %d (the index fills one SETLIST); split them into two"
                " images\n", LUAC_PROG, n, LFS51_MAXMODULES);
        return NULL;
    }
    if (name_units(u, n, m))
        return NULL;
    lfs_proto_t *mods[LFS51_MAXMODULES];
    lfs_str_t names[LFS51_MAXMODULES];
    for (int i = 0; i < n; i++) {
        mods[i] = u[i].f;
        names[i] = u[i].name;
    }
    return lfs51_build_index(m, mods, names, n, j->timestamp,
                             j->target == LUAC_T51_INT);
}

/* Write the LFS image of index into out (gzip unless absolute). */
static int write_image(job_t *j, const lfs_proto_t *index, lfs_buf_t *out,
                       lfs_diag_t *d)
{
    lfs51_opts_t o = { j->target == LUAC_T51_INT, j->absolute };
    int rc = lfs51_write(index, &o, out, d);
    size_t image = rc ? 0 : lfs_le32(out->data + 4);
    if (!rc && image > LFS51_MAXIMAGE)
        rc = lfs_fail(d, -1, LFS_ELIMIT, "the image is %zu bytes; NodeMCU's"
                      " 5.1 LFS holds at most %u; split the modules into two"
                      " images", image, LFS51_MAXIMAGE);
    if (!rc && j->maxsize && image > j->maxsize)
        rc = lfs_fail(d, -1, LFS_ELIMIT, "the image is %zu bytes, more than"
                      " -m %u allows; remove modules or enlarge the LFS"
                      " partition", image, j->maxsize);
    if (!rc && j->absolute &&
        j->absolute + image > LFS51_FLASH_MAPPED + 0x100000)
        rc = lfs_fail(d, -1, LFS_ELIMIT, "the image (%zu bytes) at 0x%08x"
                      " runs past the end of the mapped flash window 0x%08x",
                      image, j->absolute, LFS51_FLASH_MAPPED + 0x100000);
    if (!rc && !j->absolute) {
        lfs_buf_t gz;
        lfs_buf_init(&gz);
        rc = gz_write(out->data, out->len, &gz, d);
        lfs_buf_free(out);
        *out = gz;
    }
    if (!rc)
        fprintf(strcmp(j->output, "-") == 0 ? stderr : stdout,
                "Image size: %zu\n", image);
    return rc;
}

static int emit(job_t *j, unit_t *u, int n, lfs_model_t *m)
{
    lfs_diag_t d;
    lfs_buf_t out;
    int rc;
    lfs_proto_t *f = output_main(j, u, n, m);
    if (!f)
        return 1;
    lfs_diag_init(&d, j->output);
    lfs_buf_init(&out);
    if (j->listing) {
        lfs51_list_proto(f, j->listing > 1, &out);
        fwrite(out.data, 1, out.len, stdout);
        out.len = 0;
    }
    if (j->lfs) {
        rc = write_image(j, f, &out, &d);
    } else {
        lc51_target_t t = j->target == LUAC_T51_INT ? lc51_nodemcu_int
                                                    : lc51_nodemcu_float;
        t.strip = j->strip;
        rc = lc51_write(f, &t, &out, &d);
    }
    if (!rc && out.err)
        rc = lfs_fail(&d, -1, LFS_ENOMEM, "out of memory");
    if (rc) {
        lfs_buf_free(&out);
        d.file = NULL;
        return report(&d);
    }
    rc = write_output(j, out.data, out.len);
    lfs_buf_free(&out);
    return rc;
}

int main(int argc, char **argv)
{
    job_t j;
    memset(&j, 0, sizeof j);
    j.lfs_size = 0x10000;
    int rc = parse_args(argc, argv, &j);
    if (rc)
        return rc;
    /* NodeMCU's 5.1 tool writes luac.out, its 5.3 tool luac.cross.out. */
    const char *defout = j.target == LUAC_T53_FLOAT ||
                         j.target == LUAC_T53_64 ? "luac.cross.out"
                                                 : "luac.out";
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
    if (j.target == LUAC_T53_FLOAT || j.target == LUAC_T53_64) {
        luac_job53_t j53 = {
            j.inputs, j.ninputs, j.output, j.escript, j.listing, j.lfs,
            j.index_main, j.parse_only, j.strip, j.absolute, j.maxsize,
            j.target == LUAC_T53_64, j.timestamp, j.seed, j.have_seed
        };
        return luac_run53(&j53);
    }

    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    luac_front_t *fe = luac_front_open(LUAC_LUA51, &d);
    if (!fe)
        return report(&d);
    lfs_model_t m;
    lfs_model_init(&m);
    unit_t *units = calloc((size_t)j.ninputs + 1, sizeof *units);
    int n = 0;
    if (!units) {
        fprintf(stderr, "%s: out of memory\n", LUAC_PROG);
        rc = 1;
    }
    if (!rc && j.escript) {
        lfs_diag_init(&d, j.escript);
        lfs_proto_t *f;
        rc = luac_front_run(fe, j.escript, NULL, 0, &m, &d, &f)
             ? report(&d) : 0;
        if (!rc && f) {
            rc = luac_check51(f, NULL, 0, j.escript, j.target, &m, &d, warn)
                 ? report(&d) : 0;
            units[n].f = f;
            units[n++].file = j.escript;
        } else if (!rc && j.ninputs == 0) {
            goto done;          /* -e returned no function: nothing to do */
        }
    }
    for (int i = 0; !rc && i < j.ninputs; i++)
        rc = compile_one(fe, &j, j.inputs[i], &m, &units[n++]);
    if (!rc && !j.parse_only)
        rc = emit(&j, units, n, &m);
done:
    free(units);
    lfs_model_free(&m);
    luac_front_close(fe);
    return rc;
}
