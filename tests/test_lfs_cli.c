/*
** test_lfs_cli.c: the front door of the subcommand tools (lfs/lfs_cli.c):
** dispatch, usage lines, --help and --version, and the option parser in
** both of its modes (options first, as spiffsimg; anywhere, as flashimg),
** with their exact messages and exit codes. tests/cli/spiffsimg.sh and
** tests/cli/flashimg.sh check the tools themselves.
*/
#include "tests/harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lfs/lfs_cli.h"

#define ARGC(v) ((int)(sizeof v / sizeof v[0]))

/* What the code between grab() and release() wrote to stdout and stderr. */
static char out[2048], err[2048];
static int saved[2];

static void grab(void)
{
    fflush(stdout);
    fflush(stderr);
    for (int k = 0; k < 2; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/fd%d", th_tmpdir(), k + 1);
        int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        saved[k] = dup(k + 1);
        dup2(f, k + 1);
        close(f);
    }
}

static void release(void)
{
    fflush(stdout);
    fflush(stderr);
    for (int k = 0; k < 2; k++) {
        char path[512], *buf = k ? err : out;
        size_t n = 0;
        dup2(saved[k], k + 1);
        close(saved[k]);
        snprintf(path, sizeof path, "%s/fd%d", th_tmpdir(), k + 1);
        uint8_t *text = th_read_file(path, &n);
        if (n >= sizeof out)
            n = sizeof out - 1;
        memcpy(buf, text ? (char *)text : "", text ? n : 0);
        buf[text ? n : 0] = 0;
        free(text);
    }
}

/* ---- the option parser ------------------------------------------------- */

static int take_even(const lfs_cli_opt_t *o, const char *word,
                     const char *val)
{
    long v = strtol(val, NULL, 0);
    if (v % 2)
        return lfs_cli_usage("p", "%s %s: odd", word, val);
    *(long *)o->dst = v + o->arg;
    return 0;
}

static int refuse_port(const char *word)
{
    return strcmp(word, "-p") == 0 ? lfs_cli_usage("p", "no ports") : 0;
}

typedef struct vals {
    const char *out;
    long even;
    int flag;
} vals_t;

/* Parse argv with the options -o/--output, --even (a take) and --flag. */
static int parse(int argc, char **argv, int leading, int min, int max,
                 vals_t *v, lfs_cli_args_t *a)
{
    memset(v, 0, sizeof *v);
    const lfs_cli_opt_t opt[] = {
        { "--output", "-o", &v->out, NULL, 0 },
        { "--even", NULL, &v->even, take_even, 100 },
        { "--flag", NULL, &v->flag, lfs_cli_flag, 0 },
    };
    lfs_cli_args_t init = {
        .prog = "p", .cmd = "cmd", .opt = opt, .nopt = 3,
        .leading = leading, .min = min, .max = max,
        .needs = "cmd needs A", .excess = "cmd takes A B (not %s)",
        .unknown = refuse_port,
    };
    *a = init;
    grab();
    int rc = lfs_cli_parse(a, argc, argv);
    release();
    return rc;
}

TEST(test_lfs_cli_options_anywhere)
{
    char *argv[] = { "p", "cmd", "a", "-o", "f", "--flag", "-",
                     "--even=4" };
    vals_t v;
    lfs_cli_args_t a;
    int rc = parse(ARGC(argv), argv, 0, 1, 2, &v, &a);
    CHECK(rc == 0, "rc %d: %s", rc, err);
    CHECK(a.narg == 2 && strcmp(a.arg[0], "a") == 0 &&
          strcmp(a.arg[1], "-") == 0, "%d operands", a.narg);
    CHECK(v.out && strcmp(v.out, "f") == 0 && v.flag && v.even == 104,
          "out %s flag %d even %ld", v.out, v.flag, v.even);
    CHECK(!*out && !*err, "printed \"%s\" \"%s\"", out, err);
    char *argv2[] = { "p", "cmd", "--output=x", "--output", "y" };
    rc = parse(ARGC(argv2), argv2, 0, 0, 2, &v, &a);
    CHECK(rc == 0 && strcmp(v.out, "y") == 0 && a.narg == 0,
          "rc %d out %s", rc, v.out);
}

TEST(test_lfs_cli_options_first)
{
    char *argv[] = { "p", "cmd", "-o", "f", "img", "-o", "--flag" };
    vals_t v;
    lfs_cli_args_t a;
    int rc = parse(ARGC(argv), argv, 1, 1, -1, &v, &a);
    CHECK(rc == 0, "rc %d: %s", rc, err);
    CHECK(a.narg == 3 && strcmp(a.arg[1], "-o") == 0, "%d operands",
          a.narg);
    char *argv2[] = { "p", "cmd", "--flag", "--", "-o" };
    rc = parse(ARGC(argv2), argv2, 1, 1, -1, &v, &a);
    CHECK(rc == 0 && v.flag && a.narg == 1 && strcmp(a.arg[0], "-o") == 0,
          "-- does not end the options");
    char *argv3[] = { "p", "cmd", "-", "--flag" };
    rc = parse(ARGC(argv3), argv3, 1, 1, -1, &v, &a);
    CHECK(rc == 0 && !v.flag && a.narg == 2, "- is not an operand");
}

/* Do the n words after the command give exactly the usage error want? */
static int bad(const char *want, int leading, int min, int max, int n,
               char **words)
{
    char *argv[8] = { "p", "cmd" };
    vals_t v;
    lfs_cli_args_t a;
    for (int i = 0; i < n; i++)
        argv[2 + i] = words[i];
    int rc = parse(n + 2, argv, leading, min, max, &v, &a);
    if (rc == LFS_CLI_USAGE && strcmp(err, want) == 0 && !*out)
        return 1;
    printf("# rc %d, stderr \"%s\", wanted \"%s\"\n", rc, err, want);
    return 0;
}

TEST(test_lfs_cli_option_errors)
{
    char *w1[] = { "-z" }, *w2[] = { "a", "-o" }, *w3[] = { "--even", "3" },
         *w4[] = { "a", "b", "c" }, *w5[] = { "-" }, *w6[] = { "-p", "x" },
         *w7[] = { "--flag=1" }, *w8[] = { "-o", "x" };
    CHECK(bad("p: -z: unknown option for cmd; see p --help\n", 0, 0, 2, 1,
              w1), "unknown option");
    CHECK(bad("p: -o needs a value; see p --help\n", 0, 0, 2, 2, w2),
          "missing value");
    CHECK(bad("p: --even 3: odd; see p --help\n", 0, 0, 2, 2, w3), "take");
    CHECK(bad("p: cmd takes A B (not c); see p --help\n", 0, 0, 2, 3, w4),
          "too many operands");
    CHECK(bad("p: cmd takes A B (not c); see p --help\n", 1, 0, 2, 3, w4),
          "too many operands, options first");
    CHECK(bad("p: -: unknown option for cmd; see p --help\n", 0, 0, 0, 1,
              w5), "- where no operand is taken");
    CHECK(bad("p: no ports; see p --help\n", 0, 0, 2, 2, w6),
          "unknown hook");
    CHECK(bad("p: --flag=1: unknown option for cmd; see p --help\n", 0, 0,
              2, 1, w7), "a flag with a value");
    CHECK(bad("p: cmd needs A; see p --help\n", 0, 1, 2, 2, w8), "needs");
    CHECK(bad("p: cmd needs A; see p --help\n", 1, 1, -1, 2, w8),
          "needs, options first");
}

/* ---- dispatch ---------------------------------------------------------- */

static int ran;

static int run_a(int argc, char **argv)
{
    (void)argv;
    ran = argc;
    return 7;
}

static int run_other(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 9;
}

static const lfs_cli_cmd_t cmds[] = {
    { "aa", "aa [-x] FILE\n[-y]", run_a },
    { "a", NULL, run_a },
    { "bb", "bb", run_a },
};

static const char usage[] =
    "usage: prog aa [-x] FILE\n"
    "            [-y]\n"
    "       prog bb\n"
    "       prog -f X\n"
    "       prog --help | --version\n";

/* lfs_cli_main on argv (argv[0] "prog"), output captured. */
static int run(int cmd_help, int n, char **words)
{
    const lfs_cli_t cli = {
        .prog = "prog", .version = "1.2 (test)", .help = "Help.\n",
        .cmd = cmds, .ncmd = 3, .other = cmd_help ? NULL : run_other,
        .other_usage = "-f X", .cmd_help = cmd_help,
    };
    char *argv[8] = { "prog" };
    for (int i = 0; i < n; i++)
        argv[1 + i] = words[i];
    ran = 0;
    grab();
    int rc = lfs_cli_main(&cli, n + 1, argv);
    release();
    return rc;
}

TEST(test_lfs_cli_dispatch)
{
    char *h[] = { "--help" }, *hh[] = { "-h" }, *v[] = { "--version" },
         *a[] = { "a", "x" }, *u[] = { "zz" }, *o[] = { "-f", "x" },
         *ch[] = { "bb", "x", "--help" };
    char help[1024];
    snprintf(help, sizeof help, "%s\nHelp.\n", usage);
    CHECK(run(0, 0, NULL) == 2 && strcmp(err, usage) == 0 && !*out,
          "no words: \"%s\"", err);
    CHECK(run(0, 1, h) == 0 && strcmp(out, help) == 0, "--help: %s", out);
    CHECK(run(0, 1, hh) == 0 && strcmp(out, help) == 0, "-h: %s", out);
    CHECK(run(0, 1, v) == 0 && strcmp(out, "prog 1.2 (test)\n") == 0,
          "--version: %s", out);
    CHECK(run(0, 2, a) == 7 && ran == 3, "alias a: ran %d", ran);
    CHECK(run(0, 1, u) == 2 && strcmp(err, "prog: zz: unknown command; see"
          " prog --help\n") == 0, "unknown command: %s", err);
    CHECK(run(0, 2, o) == 9, "the other front end");
    CHECK(run(1, 2, o) == 2 && strstr(err, "-f: unknown command"),
          "no other front end: %s", err);
    CHECK(run(0, 3, ch) == 7 && ran == 4, "--help of a command, ignored");
    CHECK(run(1, 3, ch) == 0 && ran == 0 && strcmp(out, usage) == 0,
          "--help of a command: %s", out);
}
