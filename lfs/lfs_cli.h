/*
** lfs_cli.h: the command line of the tools with subcommands (spiffsimg,
** flashimg): a table of commands, each with its usage line and handler;
** no words, --help/-h, --version and an unknown command; bad-usage
** messages with exit status 2; a run whose standard output could not be
** written ends with exit status 1 (also luac.cross's and nodemcu-sim's
** runs); and one parser for a command's words
** (options from a table, then operands). The one lfs/ file that prints:
** what it prints is the tools' own front door.
** Spec: docs/architecture.md §6.1; docs/spiffs.md §2, docs/flash-layout.md §5
** (the two command lines). Twin: none. May call: lfs_file, lfs_diag, libc.
*/
#ifndef LFS_CLI_H
#define LFS_CLI_H

#include <stdarg.h>
#include <stddef.h>

/* Exit status of every tool. */
enum { LFS_CLI_OK = 0, LFS_CLI_BAD_INPUT = 1, LFS_CLI_USAGE = 2 };

/* A subcommand: argv[1] is its name, its words start at argv[2]. */
typedef struct lfs_cli_cmd {
    const char *name;
    const char *usage;  /* its usage line after "PROG " (a '\n' goes on
                           under the command), or NULL: an alias       */
    int (*run)(int argc, char **argv);
} lfs_cli_cmd_t;

typedef struct lfs_cli {
    const char *prog;           /* "spiffsimg"                          */
    const char *version;        /* --version: "PROG VERSION"            */
    const char *help;           /* --help: usage lines, "\n", this      */
    const lfs_cli_cmd_t *cmd;
    size_t ncmd;
    /* A first word starting with '-' that is no --help, -h or --version:
    ** another front end, listed with its usage line; NULL: the word is
    ** an unknown command. */
    int (*other)(int argc, char **argv);
    const char *other_usage;
    int cmd_help;               /* --help among a command's words: the
                                   usage lines on stdout, status 0     */
} lfs_cli_t;

/* Run the command argv[1] names; returns the exit status. No words: the
** usage lines on stderr, LFS_CLI_USAGE. Ends with lfs_cli_exit. */
int lfs_cli_main(const lfs_cli_t *cli, int argc, char **argv);

/* The exit status of a run of every tool that ended with status rc:
** standard output is flushed, and if anything written to it was lost,
** "PROG: standard output: REASON" goes to stderr and LFS_CLI_OK becomes
** LFS_CLI_BAD_INPUT (a failed run has said why already). */
int lfs_cli_exit(const char *prog, int rc);

/* "PROG: MSG; see PROG --help" on stderr; returns LFS_CLI_USAGE. */
int lfs_cli_usage(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int lfs_cli_vusage(const char *prog, const char *fmt, va_list ap);

/* ---- a command's words ------------------------------------------------ */

typedef struct lfs_cli_opt lfs_cli_opt_t;

/* Take an option's value (NULL for a flag) into o->dst, converted and
** checked; word is the option as written. Prints the usage error and
** returns the exit status when the value is bad, else 0. */
typedef int lfs_cli_take_t(const lfs_cli_opt_t *o, const char *word,
                           const char *val);

struct lfs_cli_opt {
    const char *name;       /* "--output" (also "--output=VALUE"), "-s"  */
    const char *alias;      /* another spelling ("-o"), or NULL          */
    void *dst;              /* where the value goes                      */
    lfs_cli_take_t *take;   /* NULL: the value as it is (const char *)   */
    int arg;                /* for take: how to read the value           */
};

/* The take of a flag: an option without a value; *(int *)dst = 1. */
int lfs_cli_flag(const lfs_cli_opt_t *o, const char *word, const char *val);

#define LFS_CLI_MAXARG 4    /* operands where options may stand anywhere */

typedef struct lfs_cli_args {
    const char *prog;       /* for the messages                          */
    const char *cmd;        /* "WORD: unknown option for CMD"            */
    const lfs_cli_opt_t *opt;
    size_t nopt;
    int leading;            /* options come first, up to the first
                               operand or "--"; else they go anywhere   */
    int min, max;           /* operands (max -1: any, leading only)      */
    const char *needs;      /* the usage error for fewer than min        */
    const char *excess;     /* for more than max; %s: the first extra    */
    /* An unknown option goes here first: its usage error and status, or
    ** 0 for "WORD: unknown option for CMD". May be NULL. */
    int (*unknown)(const char *word);
    char **arg;             /* out: the operands                         */
    int narg;
    char *word[LFS_CLI_MAXARG];
} lfs_cli_args_t;

/* Read argv[2...] as a->opt and a->leading say: a word starting with '-'
** is an option ('-' alone, standard input or output, is an operand of a
** command that takes any); its value is the next word, or follows '='
** after a "--" name. Each value is taken at once, in order; then the
** operands are counted. Prints the first usage error and returns its
** exit status; 0 with a->arg and a->narg set. */
int lfs_cli_parse(lfs_cli_args_t *a, int argc, char **argv);

#endif
