/*
** spiffsimg_main.c: the spiffsimg command: options, subcommands (build,
** list, extract, cat, add, rm, fsck, info), their usage lines, messages
** and exit codes. A first argument starting with '-' (other than --help,
** -h and --version) selects NodeMCU's interface (spiffsimg_compat.c).
** Spec: docs/spiffs.md §1.16-§1.18, §2, §4. Twin: none.
** May call: the SPIFFS library, lfs_cli, lfs_file, lfs_diag, libc.
*/
#include "spiffsimg/spiffsimg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lfs/lfs_cli.h"
#include "lfs/lfs_diag.h"
#include "lfs/lfs_file.h"

#define PROG "spiffsimg"

static const char help_text[] =
"Build, list, extract, change and check SPIFFS images that NodeMCU\n"
"firmware mounts (256-byte pages; 8 KiB blocks, 4 KiB below 32 KiB).\n"
"\n"
"  build    image of SIZE bytes from the files under DIR; names are the\n"
"           paths relative to DIR (at most 31 bytes, no leading '/',\n"
"           no empty, '.' or '..' part)\n"
"  list     one line per file: name (control bytes and '\\' escaped),\n"
"           size, object id\n"
"  extract  all files, or the NAMEs, into DIR (default .); all or\n"
"           nothing\n"
"  cat      one file to standard output\n"
"  add      files or directory trees (relative to -C DIR) into IMAGE,\n"
"           replacing files of the same name\n"
"  rm       remove files from IMAGE\n"
"  fsck     check every structural rule and the firmware's mount checks;\n"
"           exit status 1 if anything is wrong\n"
"  info     geometry, capacity and use\n"
"\n"
"  -s SIZE  bytes: 262144, 0x40000, 256k or 1M\n"
"  -b BLOCK 4096 or 8192: read or write with this block size instead of\n"
"           the firmware's (reading detects it from the block magics)\n"
"\n"
"Exit status: 0 ok, 1 bad input, 2 bad usage. See spiffsimg(1).\n";

typedef struct opts {
    uint32_t size, block;       /* -s, -b                                */
    const char *out, *dir;      /* -o, -C                                */
    int nargs;
    char **args;                /* the operands                          */
    spiffsimg_image_t im;       /* the image args[0] names, if loaded    */
} opts_t;

static int take_size(const lfs_cli_opt_t *o, const char *word, const char *v)
{
    (void)word;
    if (spiffsimg_parse_size(v, o->dst) < 0)
        return lfs_cli_usage(PROG, "-s %s: not a size (262144, 0x40000,"
                             " 256k)", v);
    return 0;
}

static int take_block(const lfs_cli_opt_t *o, const char *word,
                      const char *v)
{
    uint32_t *block = o->dst;
    (void)word;
    if (strcmp(v, "4096") == 0 || strcmp(v, "4k") == 0)
        *block = SPIFFS_BLOCK_SMALL;
    else if (strcmp(v, "8192") == 0 || strcmp(v, "8k") == 0)
        *block = SPIFFS_BLOCK_LARGE;
    else
        return lfs_cli_usage(PROG, "-b %s: the block size is 4096 or 8192",
                             v);
    return 0;
}

/* A command's words: the options of `letters` (of -s -b -o -C) before
** min to max operands (max -1: any), else the usage error `needs`; then,
** with load, the image the first operand names is loaded (2: even if it
** does not mount, for fsck). Prints the error; on failure nothing is left
** to free. (needs, also the message for too many operands, has no '%'.) */
static int begin(int argc, char **argv, const char *letters, int min,
                 int max, const char *needs, int load, opts_t *o)
{
    memset(o, 0, sizeof *o);
    const lfs_cli_opt_t all[] = {
        { "-s", NULL, &o->size, take_size, 0 },
        { "-b", NULL, &o->block, take_block, 0 },
        { "-o", NULL, &o->out, NULL, 0 },
        { "-C", NULL, &o->dir, NULL, 0 },
    };
    lfs_cli_opt_t opt[sizeof all / sizeof all[0]];
    size_t n = 0;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (strchr(letters, all[k].name[1]))
            opt[n++] = all[k];
    lfs_cli_args_t a = {
        .prog = PROG, .cmd = "this command", .opt = opt, .nopt = n,
        .leading = 1, .min = min, .max = max, .needs = needs,
        .excess = needs,
    };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    o->nargs = a.narg;
    o->args = a.arg;
    if (load && (rc = spiffsimg_load(&o->im, o->args[0], o->block,
                                     load == 2)) != 0)
        spiffsimg_free(&o->im);
    return rc;
}

/* ---- build ---------------------------------------------------------- */

/* Unless rc (collecting failed), store the files of l into the image and
** save it; frees both. build and add end here. */
static int store(opts_t *o, spiffsimg_list_t *l, int rc)
{
    if (rc == 0)
        rc = spiffsimg_store(&o->im, l);
    if (rc == 0)
        rc = spiffsimg_save(&o->im);
    spiffsimg_list_free(l);
    spiffsimg_free(&o->im);
    return rc;
}

static int cmd_build(int argc, char **argv)
{
    static const char needs[] = "build needs -s SIZE, -o IMAGE and one DIR";
    opts_t o;
    spiffsimg_list_t l = { 0 };
    int rc = begin(argc, argv, "sbo", 1, 1, needs, 0, &o);
    if (rc)
        return rc;
    if (!o.out || o.size == 0)
        return lfs_cli_usage(PROG, "%s", needs);
    struct stat st;
    if (stat(o.args[0], &st) != 0 || !S_ISDIR(st.st_mode)) {
        spiffsimg_err(o.args[0], "not a directory; give the directory to"
                      " put into the image");
        return SPIFFSIMG_BAD_INPUT;
    }
    if ((rc = spiffsimg_new(&o.im, o.out, o.size, o.block)) != 0)
        return rc;
    return store(&o, &l, spiffsimg_collect(&l, o.args[0], ""));
}

/* ---- list, cat, info ------------------------------------------------ */

static int list_cb(void *ctx, const spiffs_stat_t *st)
{
    char shown[SPIFFSIMG_SHOW_SIZE];
    (void)ctx;
    printf("%-31s %9u %5u\n",
           spiffsimg_name_show(st->name, shown, sizeof shown), st->size,
           st->id);
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    opts_t o;
    int rc = begin(argc, argv, "b", 1, 1, "list needs one IMAGE", 1, &o);
    if (rc)
        return rc;
    int r = spiffs_list(&o.im.fs, list_cb, NULL);
    if (r < 0) {
        spiffsimg_lib_err(o.im.path, r, "cannot list");
        rc = SPIFFSIMG_BAD_INPUT;
    }
    spiffsimg_free(&o.im);
    return rc;
}

/* Read a whole file of the image; prints the error. */
static int get_file(spiffsimg_image_t *im, const char *name, uint8_t **data,
                    uint32_t *len)
{
    spiffs_stat_t st;
    char shown[SPIFFSIMG_SHOW_SIZE];
    int r = spiffs_stat(&im->fs, name, &st);
    *data = NULL;
    spiffsimg_name_show(name, shown, sizeof shown);
    if (r == SPIFFS_ENOENT) {
        spiffsimg_err(im->path, "no file \"%s\" in the image; see spiffsimg"
                      " list", shown);
        return SPIFFSIMG_BAD_INPUT;
    }
    if (r == 0 && (uint64_t)st.size > im->size)
        r = SPIFFS_ECORRUPT;
    if (r == 0 && !(*data = malloc(st.size ? st.size : 1))) {
        spiffsimg_err(im->path, "out of memory");
        return SPIFFSIMG_BAD_INPUT;
    }
    long n = r < 0 ? r : spiffs_read(&im->fs, name, 0, *data, st.size);
    if (n < 0 || (uint32_t)n != st.size) {
        spiffsimg_err(im->path, "file \"%s\" cannot be read: %s; run"
                      " spiffsimg fsck on the image", shown,
                      spiffs_strerror(n < 0 ? (int)n : SPIFFS_ECORRUPT));
        free(*data);
        *data = NULL;
        return SPIFFSIMG_BAD_INPUT;
    }
    *len = st.size;
    return 0;
}

static int cmd_cat(int argc, char **argv)
{
    opts_t o;
    uint8_t *data;
    uint32_t len;
    int rc = begin(argc, argv, "b", 2, 2, "cat needs IMAGE and NAME", 1, &o);
    if (rc)
        return rc;
    /* a write that fails is lfs_cli_main's "standard output" line */
    if ((rc = get_file(&o.im, o.args[1], &data, &len)) == 0) {
        fwrite(data, 1, len, stdout);
        free(data);
    }
    spiffsimg_free(&o.im);
    return rc;
}

static int count_cb(void *ctx, const spiffs_stat_t *st)
{
    (void)st;
    ++*(uint32_t *)ctx;
    return 0;
}

static int cmd_info(int argc, char **argv)
{
    opts_t o;
    spiffs_usage_t u;
    uint32_t files = 0, total, used;
    int rc = begin(argc, argv, "b", 1, 1, "info needs one IMAGE", 1, &o);
    if (rc)
        return rc;
    spiffsimg_image_t *im = &o.im;
    int r = spiffs_usage(&im->fs, &u);
    if (r == 0)
        r = spiffs_list(&im->fs, count_cb, &files);
    if (r == 0)
        r = spiffs_info(&im->fs, &total, &used);
    if (r < 0) {
        spiffsimg_lib_err(im->path, r, "cannot read");
        rc = SPIFFSIMG_BAD_INPUT;
    } else {
        printf("size %u, %u blocks of %u bytes%s\n", im->size,
               im->fs.nblocks, im->fs.block_size,
               im->fs.block_size == spiffs_fw_block_size(im->size) ? "" :
               " (not the firmware's block size)");
        printf("files %u, pages: %u live, %u deleted, %u free of %u"
               " (%u usable)\n", files, u.live_pages, u.deleted_pages,
               u.free_pages, u.pages, u.limit_pages);
        printf("Total: %u, Used: %u\n", total, used);
    }
    spiffsimg_free(im);
    return rc;
}

/* ---- extract -------------------------------------------------------- */

static int mkparents(char *path)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = 0;
        int r = mkdir(path, 0777);
        int e = errno;
        *p = '/';
        if (r != 0 && e != EEXIST)
            return -1;
    }
    return 0;
}

struct names {
    char **v;
    size_t n, cap;
};

static int names_cb(void *ctx, const spiffs_stat_t *st)
{
    struct names *ns = ctx;
    if (ns->n == ns->cap) {
        size_t nc = ns->cap ? 2 * ns->cap : 64;
        char **nv = realloc(ns->v, nc * sizeof *nv);
        if (!nv)
            return SPIFFS_EINVAL;
        ns->v = nv;
        ns->cap = nc;
    }
    if (!(ns->v[ns->n] = strdup(st->name)))
        return SPIFFS_EINVAL;
    ns->n++;
    return 0;
}

/* Names byte by byte, with '/' before every other byte: the names below
** "x/" follow "x" at once. */
static int cmp_path(const void *a, const void *b)
{
    const unsigned char *x = *(const unsigned char *const *)a;
    const unsigned char *y = *(const unsigned char *const *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    int cx = *x == '/' ? 1 : *x ? *x + 1 : 0;
    int cy = *y == '/' ? 1 : *y ? *y + 1 : 0;
    return cx - cy;
}

/* A file where another name needs a folder, among the names (sorted by
** cmp_path) or on the host under dir, or a host folder where a file goes:
** prints the first and returns 1. Checked before anything is written. */
static int conflict(const char *image, const char *dir, char **v, size_t n)
{
    char a[SPIFFSIMG_SHOW_SIZE], b[SPIFFSIMG_SHOW_SIZE];
    for (size_t i = 0; i + 1 < n; i++) {
        size_t k = strlen(v[i]);
        if (strncmp(v[i], v[i + 1], k) == 0 && v[i + 1][k] == '/') {
            spiffsimg_err(image, "file \"%s\" is also the folder of \"%s\";"
                          " extract one of them by name into another"
                          " folder (-C DIR)",
                          spiffsimg_name_show(v[i], a, sizeof a),
                          spiffsimg_name_show(v[i + 1], b, sizeof b));
            return 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(dir) + 1, len = k + strlen(v[i]) + 1;
        char *p = malloc(len);
        struct stat st;
        int bad = 0;
        if (!p) {
            spiffsimg_err(dir, "out of memory");
            return 1;
        }
        snprintf(p, len, "%s/%s", dir, v[i]);
        spiffsimg_name_show(v[i], b, sizeof b);
        for (char *e = strchr(p + k, '/'); e && !bad; e = strchr(e + 1, '/')) {
            *e = 0;
            if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
                spiffsimg_err(dir, "\"%s\" is not a folder, but the image's"
                              " \"%s\" goes below it; move it away or"
                              " extract into another folder (-C DIR)",
                              spiffsimg_name_show(p + k, a, sizeof a), b);
                bad = 1;
            }
            *e = '/';
        }
        if (!bad && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            spiffsimg_err(dir, "\"%s\" is a folder, so the image's file"
                          " cannot be written there; move it away or"
                          " extract into another folder (-C DIR)", b);
            bad = 1;
        }
        free(p);
        if (bad)
            return 1;
    }
    return 0;
}

/* DIR/NAME, malloc'ed; NULL (said why) when out of memory. */
static char *out_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        spiffsimg_err(dir, "out of memory");
    else
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int cmd_extract(int argc, char **argv)
{
    opts_t o;
    struct names ns = { 0 };
    int rc = begin(argc, argv, "bC", 1, -1, "extract needs an IMAGE", 1, &o);
    if (rc)
        return rc;
    const char *dir = o.dir ? o.dir : ".";
    spiffsimg_image_t *im = &o.im;
    int r = 0;
    if (o.nargs == 1)
        r = spiffs_list(&im->fs, names_cb, &ns);
    for (int i = 1; i < o.nargs && r == 0; i++) {
        spiffs_stat_t st;
        st.name[0] = 0;
        snprintf(st.name, sizeof st.name, "%s", o.args[i]);
        r = names_cb(&ns, &st);
    }
    if (r < 0) {
        spiffsimg_lib_err(im->path, r, "cannot list");
        rc = SPIFFSIMG_BAD_INPUT;
    }
    /* read and check everything first: no partial output on bad input */
    uint8_t **data = calloc(ns.n + 1, sizeof *data);
    uint32_t *len = calloc(ns.n + 1, sizeof *len);
    if (!data || !len) {
        spiffsimg_err(im->path, "out of memory");
        rc = SPIFFSIMG_BAD_INPUT;
    }
    if (rc == 0)
        qsort(ns.v, ns.n, sizeof *ns.v, cmp_path);
    for (size_t i = 0; i < ns.n && rc == 0; i++) {
        const char *why = spiffsimg_name_unsafe(ns.v[i]);
        char shown[SPIFFSIMG_SHOW_SIZE];
        char *p = NULL;
        if (why) {
            spiffsimg_err(im->path, "file \"%s\" %s, so it has no safe host"
                          " path; extract the others by name",
                          spiffsimg_name_show(ns.v[i], shown, sizeof shown),
                          why);
            rc = SPIFFSIMG_BAD_INPUT;
        } else if (!(p = out_path(dir, ns.v[i])) ||
                   spiffsimg_check_output(p, im->path)) {
            rc = SPIFFSIMG_BAD_INPUT;
        } else {
            rc = get_file(im, ns.v[i], &data[i], &len[i]);
        }
        free(p);
    }
    if (rc == 0 && conflict(im->path, dir, ns.v, ns.n))
        rc = SPIFFSIMG_BAD_INPUT;
    for (size_t i = 0; i < ns.n && rc == 0; i++) {
        lfs_diag_t d;
        char line[1200];
        char *p = out_path(dir, ns.v[i]);
        if (!p) {
            rc = SPIFFSIMG_BAD_INPUT;
            break;
        }
        lfs_diag_init(&d, p);
        if (mkparents(p) != 0) {
            spiffsimg_err(p, "cannot create its directory: %s",
                          strerror(errno));
            rc = SPIFFSIMG_BAD_INPUT;
        } else if (lfs_file_write(p, data[i], len[i], &d) < 0) {
            lfs_diag_format(&d, "spiffsimg", line, sizeof line);
            fprintf(stderr, "%s\n", line);
            rc = SPIFFSIMG_BAD_INPUT;
        }
        free(p);
    }
    for (size_t i = 0; i < ns.n; i++) {
        if (data)
            free(data[i]);
        free(ns.v[i]);
    }
    free(data);
    free(len);
    free(ns.v);
    spiffsimg_free(im);
    return rc;
}

/* ---- add, rm -------------------------------------------------------- */

static int cmd_add(int argc, char **argv)
{
    opts_t o;
    spiffsimg_list_t l = { 0 };
    int rc = begin(argc, argv, "bC", 2, -1, "add needs IMAGE and at least"
                   " one PATH", 1, &o);
    if (rc)
        return rc;
    for (int i = 1; i < o.nargs && rc == 0; i++)
        rc = spiffsimg_collect(&l, o.dir ? o.dir : ".", o.args[i]);
    return store(&o, &l, rc);
}

static int cmd_rm(int argc, char **argv)
{
    opts_t o;
    int rc = begin(argc, argv, "b", 2, -1, "rm needs IMAGE and at least one"
                   " NAME", 1, &o);
    if (rc)
        return rc;
    for (int i = 1; i < o.nargs && rc == 0; i++) {
        int r = spiffs_remove(&o.im.fs, o.args[i]);
        if (r == SPIFFS_ENOENT) {
            spiffsimg_err(o.im.path, "no file \"%s\" in the image; see"
                          " spiffsimg list", o.args[i]);
            rc = SPIFFSIMG_BAD_INPUT;
        } else if (r < 0) {
            spiffsimg_lib_err(o.im.path, r, "cannot remove");
            rc = SPIFFSIMG_BAD_INPUT;
        }
    }
    if (rc == 0)
        rc = spiffsimg_save(&o.im);
    spiffsimg_free(&o.im);
    return rc;
}
/* ---- fsck ----------------------------------------------------------- */

static void fsck_cb(void *ctx, const spiffs_issue_t *is)
{
    const char *path = ctx;
    if (is->offset >= 0)
        fprintf(stderr, "spiffsimg: %s: byte 0x%lx: %s%s\n", path,
                is->offset, is->severity == SPIFFS_WARN ? "warning: " : "",
                is->msg);
    else
        fprintf(stderr, "spiffsimg: %s: %s%s\n", path,
                is->severity == SPIFFS_WARN ? "warning: " : "", is->msg);
}

static int cmd_fsck(int argc, char **argv)
{
    opts_t o;
    int rc = begin(argc, argv, "b", 1, 1, "fsck needs one IMAGE", 2, &o);
    if (rc)
        return rc;
    spiffsimg_image_t *im = &o.im;
    long issues = 0;
    uint32_t fw = spiffs_fw_block_size(im->size), probed;
    if (!o.block) {
        /* the firmware's own view: its block size, its probe (§1.18) */
        if (im->fs.block_size != fw) {
            spiffsimg_err(im->path, "%u-byte blocks, but the firmware uses"
                          " %u-byte blocks for a %u-byte file system and"
                          " would reformat it; rebuild it with spiffsimg"
                          " build (or check it with -b %u)",
                          im->fs.block_size, fw, im->size, im->fs.block_size);
            issues++;
        } else if (spiffs_probe(&im->cfg, fw, &probed) < 0 ||
                   probed != im->size) {
            spiffsimg_err(im->path, "the firmware's probe of blocks 0-2 does"
                          " not find a %u-byte file system; it would"
                          " reformat it; rebuild the image", im->size);
            issues++;
        }
    }
    long n = spiffs_fsck(&im->fs, fsck_cb, (void *)im->path);
    if (n < 0) {
        spiffsimg_lib_err(im->path, (int)n, "cannot check");
        spiffsimg_free(im);
        return SPIFFSIMG_BAD_INPUT;
    }
    issues += n;
    uint32_t files = 0;
    spiffs_list(&im->fs, count_cb, &files);
    printf("%s: %u files, %u blocks of %u bytes, %ld problem%s\n", im->path,
           files, im->fs.nblocks, im->fs.block_size, issues,
           issues == 1 ? "" : "s");
    spiffsimg_free(im);
    return issues ? SPIFFSIMG_BAD_INPUT : 0;
}

int main(int argc, char **argv)
{
    static const lfs_cli_cmd_t cmds[] = {
        { "build", "build -s SIZE [-b BLOCK] -o IMAGE DIR", cmd_build },
        { "list", "list [-b BLOCK] IMAGE", cmd_list },
        { "ls", NULL, cmd_list },
        { "extract", "extract [-b BLOCK] [-C DIR] IMAGE [NAME...]",
          cmd_extract },
        { "cat", "cat [-b BLOCK] IMAGE NAME", cmd_cat },
        { "add", "add [-b BLOCK] [-C DIR] IMAGE PATH...", cmd_add },
        { "rm", "rm [-b BLOCK] IMAGE NAME...", cmd_rm },
        { "fsck", "fsck [-b BLOCK] IMAGE", cmd_fsck },
        { "info", "info [-b BLOCK] IMAGE", cmd_info },
    };
    static const lfs_cli_t cli = {
        .prog = PROG,
        .version = SPIFFSIMG_VERSION " (NodeMCU SPIFFS: 256-byte pages,"
                   " 8 KiB blocks)",
        .help = help_text,
        .cmd = cmds,
        .ncmd = sizeof cmds / sizeof cmds[0],
        .other = spiffsimg_compat_main,
        .other_usage = "-f IMAGE [-d] [-o OFFSETFILE] [-c SIZE] [-S FLASH]\n"
                       "[-U USED] [-l | -i | -r SCRIPT]      (NodeMCU's"
                       " interface)",
    };
    return lfs_cli_main(&cli, argc, argv);
}
