/*
** spiffsimg_compat.c: NodeMCU's spiffsimg interface, option for option,
** and its script language (ls, import, export, rm, cat, info), with the
** NodeMCU bugs fixed (each has a tests/deviations/spiffs-*.md file):
** firmware block size, block size read from the magics, clean layout with
** 0xFF padding, SDK-3 placement for -S/-U, no partial output, names
** checked, whole lines, `cat` of a missing file is an error, `%` in -f
** limited to one integer conversion, messages on stderr.
** Spec: docs/spiffs.md §2.2-§2.4, §4 traps 1, 9, 11-13. Twin: none.
** May call: the SPIFFS library, lfs_file, lfs_diag, libc.
*/
#include "spiffsimg/spiffsimg.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_file.h"

typedef struct compat {
    spiffsimg_image_t im;
    const char *where;      /* script name for messages, or "stdin" */
    const char *script;     /* -r SCRIPT, or NULL                    */
    int line;
    int status;             /* 1 after a non-fatal error */
    int dirty;              /* image changed */
} compat_t;

static int usage(const char *msg)
{
    fprintf(stderr, "spiffsimg: %s; usage: spiffsimg -f IMAGE [-d] [-o"
            " OFFSETFILE] [-c SIZE] [-S FLASH] [-U USED] [-l | -i | -r"
            " SCRIPT]\n", msg);
    return SPIFFSIMG_USAGE;
}

/* -S: a number with k/K or m/M, in bits unless it ends in 'B' (§2.2). */
static int parse_flash(const char *s, uint64_t *bytes)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || errno || *s == '-')
        return -1;
    if (*end == 'k' || *end == 'K')
        v *= 1024, end++;
    else if (*end == 'm' || *end == 'M')
        v *= 1024 * 1024, end++;
    if (*end == 'B')
        v *= 8, end++;
    else if (*end == 'b')
        end++;
    if (*end || v > (1ull << 40))
        return -1;
    *bytes = v / 8;
    return 0;
}

/* -f with a conversion: only one %[flags][width]{x,X,d,u} or %%. */
static int expand_name(const char *fmt, uint32_t off, char *out, size_t n)
{
    size_t o = 0;
    int convs = 0;
    for (const char *p = fmt; *p; p++) {
        char piece[64];
        if (*p != '%') {
            if (o + 1 >= n)
                return -1;
            out[o++] = *p;
            continue;
        }
        const char *q = p + 1;
        if (*q == '%') {
            if (o + 1 >= n)
                return -1;
            out[o++] = '%';
            p = q;
            continue;
        }
        while (*q && strchr("#0-", *q))
            q++;
        while (isdigit((unsigned char)*q))
            q++;
        if (!*q || !strchr("xXdu", *q) || q - p > 20 || ++convs > 1)
            return -1;
        snprintf(piece, sizeof piece, "%.*s", (int)(q - p + 1), p);
        int w = snprintf(out + o, n - o, piece, off);
        if (w < 0 || (size_t)w >= n - o)
            return -1;
        o += (size_t)w;
        p = q;
    }
    out[o] = 0;
    return convs;
}

static int ls_cb(void *ctx, const spiffs_stat_t *st)
{
    (void)ctx;
    int t = st->type == 1 ? 'f' : st->type == 2 ? 'd' : st->type == 3 ? 'h'
          : st->type == 4 ? 's' : '?';
    printf("%c %6u %s\n", t, st->size, st->name);
    return 0;
}

static void c_err(compat_t *c, const char *fmt, const char *a,
                  const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b);
    if (c->line)
        fprintf(stderr, "spiffsimg: %s:%d: %s\n", c->where, c->line, msg);
    else
        fprintf(stderr, "spiffsimg: %s: %s\n", c->where, msg);
}

/* Split off the next whitespace-free token. */
static char *token(char **s)
{
    char *p = *s;
    while (*p && isspace((unsigned char)*p))
        p++;
    if (!*p)
        return NULL;
    char *t = p;
    while (*p && !isspace((unsigned char)*p))
        p++;
    if (*p)
        *p++ = 0;
    *s = p;
    return t;
}

/* One command; returns 0, or SPIFFSIMG_BAD_INPUT on a fatal error. */
static int run_line(compat_t *c, char *line)
{
    char *s = line, *e = line + strlen(line);
    while (*s && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    if (!*s || *s == '#')
        return 0;
    char *rest = s, *cmd = token(&rest);
    spiffs_t *fs = &c->im.fs;
    if (strcmp(cmd, "ls") == 0 && !token(&rest)) {
        int r = spiffs_list(fs, ls_cb, NULL);
        if (r < 0) {
            c_err(c, "ls: %s%s", spiffs_strerror(r), "");
            c->status = 1;
        }
        return 0;
    }
    if (strcmp(cmd, "info") == 0 && !token(&rest)) {
        uint32_t total, used;
        if (spiffs_info(fs, &total, &used) < 0) {
            c_err(c, "info failed%s%s", "", "");
            c->status = 1;
        } else {
            printf("Total: %u, Used: %u\n", total, used);
        }
        return 0;
    }
    if (strcmp(cmd, "import") == 0 || strcmp(cmd, "export") == 0) {
        char *a = token(&rest), *b = token(&rest);
        if (!a || !b || token(&rest)) {
            c_err(c, "%s needs two names: %s", cmd, "SRC DST");
            c->status = 1;
            return 0;
        }
        if (cmd[0] == 'e') {
            spiffs_stat_t st;
            lfs_diag_t d;
            char msg[1200];
            uint8_t *buf = NULL;
            int r = spiffs_stat(fs, a, &st);
            long n = r;
            if (r == 0 && (buf = malloc(st.size ? st.size : 1)) != NULL)
                n = spiffs_read(fs, a, 0, buf, st.size);
            if (r == SPIFFS_ENOENT || n < 0 || (uint32_t)n != st.size) {
                c_err(c, "export %s: %s", a, r == SPIFFS_ENOENT ?
                      "no such file in the image" : "file cannot be read");
                free(buf);
                return SPIFFSIMG_BAD_INPUT;
            }
            if (spiffsimg_check_output(b, c->im.path) ||
                (c->script && spiffsimg_check_output(b, c->script))) {
                free(buf);
                return SPIFFSIMG_BAD_INPUT;
            }
            lfs_diag_init(&d, b);
            r = lfs_file_write(b, buf, st.size, &d);
            free(buf);
            if (r < 0) {
                lfs_diag_format(&d, "spiffsimg", msg, sizeof msg);
                fprintf(stderr, "%s\n", msg);
                return SPIFFSIMG_BAD_INPUT;
            }
            return 0;
        }
        if (spiffsimg_name_bad(c->where, b))
            return SPIFFSIMG_BAD_INPUT;
        spiffsimg_list_t l = { 0 };
        int rc = 0;
        /* the host file as given, the name as given */
        spiffsimg_entry_t ent = { b, a, 0 };
        FILE *f = fopen(a, "rb");
        if (!f) {
            c_err(c, "import %s: %s", a, strerror(errno));
            return SPIFFSIMG_BAD_INPUT;
        }
        if (fseek(f, 0, SEEK_END) == 0)
            ent.size = (uint64_t)(ftell(f) < 0 ? 0 : ftell(f));
        fclose(f);
        l.v = &ent;
        l.n = l.cap = 1;
        rc = spiffsimg_store(&c->im, &l);
        c->dirty = 1;
        return rc;
    }
    if (strcmp(cmd, "rm") == 0 || strcmp(cmd, "cat") == 0) {
        const char *name = rest;
        while (*name && isspace((unsigned char)*name))
            name++;
        if (cmd[0] == 'r') {
            int r = spiffs_remove(fs, name);
            if (r < 0) {
                c_err(c, "FAILED: rm %s (%s)", name, spiffs_strerror(r));
                c->status = 1;
            } else {
                c->dirty = 1;
            }
            return 0;
        }
        spiffs_stat_t st;
        uint8_t *buf = NULL;
        long n = spiffs_stat(fs, name, &st);
        if (n == 0 && (buf = malloc(st.size ? st.size : 1)) != NULL)
            n = spiffs_read(fs, name, 0, buf, st.size);
        if (n < 0 || !buf || (uint32_t)n != st.size) {
            c_err(c, "cat %s: %s", name, n == SPIFFS_ENOENT ?
                  "no such file in the image" : "file cannot be read");
            c->status = 1;
        } else {
            fwrite(buf, 1, st.size, stdout);
        }
        free(buf);
        return 0;
    }
    c_err(c, "SYNTAX ERROR: %s%s", s, "");
    c->status = 1;
    return 0;
}

static int run_stream(compat_t *c, FILE *f, int interactive)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        if (interactive) {
            printf("> ");
            fflush(stdout);
        }
        if (getline(&line, &cap, f) < 0)
            break;
        c->line++;
        if ((rc = run_line(c, line)) != 0)
            break;
    }
    free(line);
    return rc;
}

int spiffsimg_compat_main(int argc, char **argv)
{
    const char *fname = NULL, *ofile = NULL, *script = NULL;
    uint32_t csize = 0;
    uint64_t flash = 0, used = 0;
    int have_c = 0, have_S = 0, have_U = 0, mode = 0, opt;
    compat_t c;
    memset(&c, 0, sizeof c);
    opterr = 0;
    while ((opt = getopt(argc, argv, "do:f:c:lir:S:U:")) != -1) {
        switch (opt) {
        case 'd': break;    /* nothing partial is ever left: see -d */
        case 'o': ofile = optarg; break;
        case 'f': fname = optarg; break;
        case 'c':
            if (spiffsimg_parse_size(optarg, &csize) < 0)
                return usage("-c: not a size");
            have_c = 1;
            break;
        case 'S':
            if (parse_flash(optarg, &flash) < 0)
                return usage("-S: not a flash size (32m = 32 Mbit, 4MB)");
            have_S = 1;
            break;
        case 'U': {
            uint32_t u;
            if (spiffsimg_parse_size(optarg, &u) < 0)
                return usage("-U: not a byte count");
            used = u;
            have_U = 1;
            break;
        }
        case 'l': case 'i': mode = opt; break;
        case 'r': mode = 'r'; script = optarg; break;
        default:
            return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument");
    if (!fname)
        return usage("need a file name (-f IMAGE)");
    int create = have_c || have_S || have_U;
    uint32_t size = 0, offset = have_U ? (uint32_t)used : 0;
    if (create && !have_c) {
        if (!have_S || !have_U)
            return usage("-S and -U go together (flash size, bytes used)");
        /* SDK-3 placement (§1.18, §1.19): FS from the end of the used
        ** area rounded up to 8 KiB to the flash end less the 0x3000-byte
        ** system area, rounded down to 8 KiB. */
        uint64_t start = (used + 0x1FFF) & ~(uint64_t)0x1FFF;
        uint64_t end = (flash >= 0x3000 ? flash - 0x3000 : 0) &
                       ~(uint64_t)0x1FFF;
        if (end < start + SPIFFS_MIN_FS_SIZE) {
            spiffsimg_err(fname, "not enough space: %llu bytes of flash"
                          " less %llu used leave under %u bytes; use a"
                          " larger -S or smaller -U",
                          (unsigned long long)flash,
                          (unsigned long long)used, SPIFFS_MIN_FS_SIZE);
            return SPIFFSIMG_BAD_INPUT;
        }
        offset = (uint32_t)start;
        size = (uint32_t)(end - start);
        if (size > SPIFFS_MAX_FS_SIZE)
            size = SPIFFS_MAX_FS_SIZE;
    } else if (create) {
        size = csize & ~(uint32_t)0x1FFF;
    }
    char path[4096];
    int convs = expand_name(fname, offset, path, sizeof path);
    if (convs < 0)
        return usage("-f: only one %x, %X, %d or %u conversion is allowed");
    if (convs > 0 && offset == 0) {
        spiffsimg_err(fname, "the offset is unknown (give -U or -S and -U),"
                      " and the name has a %% conversion; give them or a"
                      " plain name");
        return SPIFFSIMG_USAGE;
    }
    c.where = script ? script : mode == 'i' ? "stdin" : path;
    c.script = script;
    int rc;
    if (create) {
        if ((rc = spiffsimg_new(&c.im, path, size, 0)) != 0)
            goto out;
        c.dirty = 1;
    } else if ((rc = spiffsimg_load(&c.im, path, 0, 0)) != 0) {
        goto out;
    }
    if (mode == 'l') {
        if (spiffs_list(&c.im.fs, ls_cb, NULL) < 0) {
            spiffsimg_err(path, "cannot list; run spiffsimg fsck on it");
            rc = SPIFFSIMG_BAD_INPUT;
        }
    } else if (mode == 'i') {
        if (create)
            printf("Created filesystem -- size 0x%x, block_size=%u\n",
                   c.im.size, c.im.fs.block_size);
        rc = run_stream(&c, stdin, 1);
    } else if (mode == 'r') {
        FILE *f = fopen(script, "r");
        if (!f) {
            spiffsimg_err(script, "cannot open: %s", strerror(errno));
            rc = SPIFFSIMG_BAD_INPUT;
            goto out;
        }
        rc = run_stream(&c, f, 0);
        fclose(f);
    }
    if (rc == 0 && c.dirty)
        rc = spiffsimg_save(&c.im);
    if (rc == 0 && ofile && create) {
        char txt[32];
        lfs_diag_t d;
        char msg[1200];
        int n = snprintf(txt, sizeof txt, "0x%x", offset);
        lfs_diag_init(&d, ofile);
        if (spiffsimg_check_output(ofile, path) ||
            (script && spiffsimg_check_output(ofile, script))) {
            rc = SPIFFSIMG_BAD_INPUT;
        } else if (lfs_file_write(ofile, txt, (size_t)n, &d) < 0) {
            lfs_diag_format(&d, "spiffsimg", msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            rc = SPIFFSIMG_BAD_INPUT;
        }
    }
    if (rc == 0 && c.status)
        rc = SPIFFSIMG_BAD_INPUT;
out:
    spiffsimg_free(&c.im);
    return rc;
}
