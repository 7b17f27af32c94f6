/*
** lfs_cli.c: subcommand dispatch, usage and help text, bad-usage
** messages, the check of standard output at the end of a run, and the
** option parser of the subcommand tools (see lfs_cli.h). Twin: none.
** May call: lfs_file, lfs_diag, libc.
*/
#include "lfs/lfs_cli.h"

#include <stdio.h>
#include <string.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_file.h"

int lfs_cli_vusage(const char *prog, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "; see %s --help\n", prog);
    return LFS_CLI_USAGE;
}

int lfs_cli_usage(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = lfs_cli_vusage(prog, fmt, ap);
    va_end(ap);
    return rc;
}

/* "usage: PROG TEXT" or "       PROG TEXT"; a '\n' in TEXT goes on under
** the word after PROG. */
static void usage_line(FILE *f, const char *prog, const char *text,
                       int first)
{
    int indent = (int)strlen("usage: ") + (int)strlen(prog) + 1;
    fprintf(f, "%s%s ", first ? "usage: " : "       ", prog);
    for (; *text; text++) {
        fputc(*text, f);
        if (*text == '\n')
            fprintf(f, "%*s", indent, "");
    }
    fputc('\n', f);
}

static void usage_text(const lfs_cli_t *cli, FILE *f)
{
    int first = 1;
    for (size_t i = 0; i < cli->ncmd; i++)
        if (cli->cmd[i].usage) {
            usage_line(f, cli->prog, cli->cmd[i].usage, first);
            first = 0;
        }
    if (cli->other_usage)
        usage_line(f, cli->prog, cli->other_usage, first);
    usage_line(f, cli->prog, "--help | --version", 0);
}

static int dispatch(const lfs_cli_t *cli, int argc, char **argv)
{
    if (argc < 2) {
        usage_text(cli, stderr);
        return LFS_CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_text(cli, stdout);
        printf("\n%s", cli->help);
        return LFS_CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("%s %s\n", cli->prog, cli->version);
        return LFS_CLI_OK;
    }
    if (argv[1][0] == '-' && cli->other)
        return cli->other(argc, argv);
    for (size_t i = 0; i < cli->ncmd; i++)
        if (strcmp(argv[1], cli->cmd[i].name) == 0) {
            for (int j = 2; cli->cmd_help && j < argc; j++)
                if (strcmp(argv[j], "--help") == 0) {
                    usage_text(cli, stdout);
                    return LFS_CLI_OK;
                }
            return cli->cmd[i].run(argc, argv);
        }
    return lfs_cli_usage(cli->prog, "%s: unknown command", argv[1]);
}

int lfs_cli_main(const lfs_cli_t *cli, int argc, char **argv)
{
    return lfs_cli_exit(cli->prog, dispatch(cli, argc, argv));
}

int lfs_cli_exit(const char *prog, int rc)
{
    lfs_diag_t d;
    char line[600];
    lfs_diag_init(&d, NULL);
    if (lfs_file_flush_stdout(&d) && rc == LFS_CLI_OK) {
        lfs_diag_format(&d, prog, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        rc = LFS_CLI_BAD_INPUT;
    }
    return rc;
}

/* ---- a command's words ------------------------------------------------ */

int lfs_cli_flag(const lfs_cli_opt_t *o, const char *word, const char *val)
{
    (void)word;
    (void)val;
    *(int *)o->dst = 1;
    return 0;
}

/* The option word w names, or NULL; *val: its "=VALUE" part, or NULL. */
static const lfs_cli_opt_t *match(const lfs_cli_args_t *a, const char *w,
                                  const char **val)
{
    *val = NULL;
    for (size_t k = 0; k < a->nopt; k++) {
        const lfs_cli_opt_t *o = &a->opt[k];
        size_t n = strlen(o->name);
        if (o->take != lfs_cli_flag && o->name[1] == '-' &&
            strncmp(w, o->name, n) == 0 && w[n] == '=') {
            *val = w + n + 1;
            return o;
        }
        if (strcmp(w, o->name) == 0 || (o->alias && strcmp(w, o->alias) == 0))
            return o;
    }
    return NULL;
}

int lfs_cli_parse(lfs_cli_args_t *a, int argc, char **argv)
{
    int i, rc;
    a->arg = a->word;
    a->narg = 0;
    for (i = 2; i < argc; i++) {
        char *w = argv[i];
        if (a->leading && strcmp(w, "--") == 0) {
            i++;
            break;
        }
        if (w[0] != '-' || (w[1] == 0 && a->max != 0)) {
            if (a->leading)
                break;
            if (a->narg == a->max || a->narg == LFS_CLI_MAXARG)
                return lfs_cli_usage(a->prog, a->excess, w);
            a->word[a->narg++] = w;
            continue;
        }
        const char *val;
        const lfs_cli_opt_t *o = match(a, w, &val);
        if (!o) {
            if (a->unknown && (rc = a->unknown(w)) != 0)
                return rc;
            return lfs_cli_usage(a->prog, "%s: unknown option for %s", w,
                                 a->cmd);
        }
        if (!val && o->take != lfs_cli_flag) {
            if (i + 1 >= argc)
                return lfs_cli_usage(a->prog, "%s needs a value", w);
            val = argv[++i];
        }
        if (!o->take)
            *(const char **)o->dst = val;
        else if ((rc = o->take(o, w, val)) != 0)
            return rc;
    }
    if (a->leading) {
        a->arg = argv + i;
        a->narg = argc - i;
        if (a->max >= 0 && a->narg > a->max)
            return lfs_cli_usage(a->prog, a->excess, a->arg[a->max]);
    }
    if (a->narg < a->min)
        return lfs_cli_usage(a->prog, "%s", a->needs);
    return 0;
}
