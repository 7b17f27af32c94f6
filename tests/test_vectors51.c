/*
** test_vectors51.c: golden comparisons. Rebuilds every lfs51 row of the
** vectors' MANIFEST.tsv with luac.cross (same options, same inputs, clock
** pinned with --timestamp 1700000000) and compares: .lc and absolute images
** byte for byte with the vector; relocatable images after inflating them
** with our device-limit inflater, with the vector's .payload. Also checks
** every vector image reads back through lfs51_read and rewrites to the
** same bytes (round trip), and reports our compressed sizes.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/gz.h"
#include "lfs/lfs51.h"

typedef struct row {
    char output[128], variant[64], options[256], inputs[1024], size[32];
} row_t;

static int read_manifest(row_t **rows)
{
    char path[512];
    size_t n;
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", th_vectors());
    char *text = (char *)th_read_file(path, &n);
    if (!text)
        return -1;
    text = realloc(text, n + 1);
    text[n] = 0;
    int count = 0;
    *rows = calloc(256, sizeof **rows);
    for (char *line = strtok(text, "\n"); line && count < 256;
         line = strtok(NULL, "\n")) {
        char *f[7] = { 0 };
        int k = 0;
        for (char *p = line; k < 7; k++) {
            f[k] = p;
            p = strchr(p, '\t');
            if (!p)
                break;
            *p++ = 0;
        }
        if (strncmp(f[0], "lfs51/", 6) != 0 || !f[6])
            continue;
        row_t *r = &(*rows)[count++];
        snprintf(r->output, sizeof r->output, "%s", f[0]);
        snprintf(r->variant, sizeof r->variant, "%s", f[1]);
        snprintf(r->options, sizeof r->options, "%s", f[2]);
        snprintf(r->inputs, sizeof r->inputs, "%s", f[3]);
        snprintf(r->size, sizeof r->size, "%s", f[6]);
    }
    free(text);
    return count;
}

/* Run luac.cross for a row; returns the output file's path or NULL. */
static int build(const row_t *r, char *out, size_t outn)
{
    char opts[512] = "", cmd[4096];
    const char *base = strrchr(r->output, '/') + 1;
    snprintf(out, outn, "%s/%s", th_tmpdir(), base);
    /* Replace "-o NAME" by "-o <tmp>/NAME". */
    char copy[256];
    snprintf(copy, sizeof copy, "%s", r->options);
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " ")) {
        if (strcmp(t, "-o") == 0) {
            strtok(NULL, " ");
            strcat(opts, "-o '");
            strcat(opts, out);
            strcat(opts, "' ");
        } else {
            strcat(opts, t);
            strcat(opts, " ");
        }
    }
    snprintf(cmd, sizeof cmd, "cd '%s/src/lua51' && '%s/luac.cross'"
             " --timestamp 1700000000 %s %s %s >/dev/null", th_vectors(),
             th_bindir(), strstr(r->variant, "integer") ? "--target 5.1-int"
             : "", opts, r->inputs);
    return system(cmd);
}

static uint8_t *vector(const char *rel, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", th_vectors(), rel);
    return th_read_file(path, n);
}

TEST(test_vectors51_rebuild_every_row)
{
    row_t *rows;
    int n = read_manifest(&rows);
    CHECK(n >= 40, "MANIFEST.tsv has %d lfs51 rows; is VECTORS right?", n);
    size_t ours = 0, theirs = 0;
    int checked = 0;
    for (int i = 0; i < n; i++) {
        const row_t *r = &rows[i];
        char out[512];
        int rc = build(r, out, sizeof out);
        CHECK(rc == 0, "%s: luac.cross failed (%d)", r->output, rc);
        size_t gn, vn;
        uint8_t *got = th_read_file(out, &gn);
        CHECK(got, "%s: no output file", r->output);
        int relocatable = strstr(r->options, "-f") != NULL;
        char vpath[256];
        snprintf(vpath, sizeof vpath, "%s", r->output);
        if (relocatable) {
            strcpy(strrchr(vpath, '.'), ".payload");
            lfs_buf_t b;
            lfs_diag_t d;
            lfs_buf_init(&b);
            lfs_diag_init(&d, out);
            int irc = gz_inflate_buf(got, gn, 1u << 24, &b, &d);
            ours += gn;
            theirs += (size_t)atol(r->size);
            free(got);
            CHECK(irc == 0, "%s: our image fails the device inflater: %s",
                  r->output, d.msg);
            got = b.data;
            gn = b.len;
        }
        uint8_t *want = vector(vpath, &vn);
        CHECK(want, "cannot read vector %s", vpath);
        long diff = th_first_diff(got, gn, want, vn);
        free(got);
        free(want);
        CHECK(diff < 0, "%s: differs from %s at byte 0x%lx", r->output,
              vpath, diff);
        checked++;
    }
    free(rows);
    printf("# %d rows byte-identical; relocatable images %zu bytes,"
           " NodeMCU's %zu (%.1f%%)\n", checked, ours, theirs,
           100.0 * (double)ours / (double)theirs);
}

/* Read image p, write it back (absolute at base, or relocatable if base is
** 0) and compare; 0 when identical, else why is set. */
static int roundtrip(const uint8_t *p, size_t n, const char *name,
                     uint32_t base, lfs51_info_t *info, char *why, size_t wn)
{
    lfs_model_t m;
    lfs_diag_t d;
    lfs_proto_t *index;
    lfs_buf_t b;
    lfs_model_init(&m);
    lfs_buf_init(&b);
    lfs_diag_init(&d, name);
    int rc = lfs51_read(p, n, &m, &d, info, &index);
    lfs51_opts_t o = { info->integral, base };
    if (!rc)
        rc = lfs51_write(index, &o, &b, &d);
    long diff = rc ? -2 : th_first_diff(b.data, b.len, p, n);
    lfs_buf_free(&b);
    lfs_model_free(&m);
    if (rc)
        snprintf(why, wn, "%s: %s (byte 0x%lx)", name, d.msg, d.offset);
    else if (diff >= 0)
        snprintf(why, wn, "%s: rewritten image differs at byte 0x%lx", name,
                 diff);
    return rc || diff >= 0;
}

static const char *images[] = { "group", "group.int", "hello", "bigmod",
    "manyk", "numedge", "control.int", "longstr.int" };

TEST(test_vectors51_roundtrip_images)
{
    for (size_t i = 0; i < sizeof images / sizeof *images; i++) {
        char rel[128], why[600];
        size_t n;
        lfs51_info_t info;
        snprintf(rel, sizeof rel, "lfs51/%s.payload", images[i]);
        uint8_t *p = vector(rel, &n);
        CHECK(p, "cannot read %s", rel);
        int bad = roundtrip(p, n, rel, 0, &info, why, sizeof why);
        free(p);
        CHECK(!bad, "%s", why);
        CHECK(info.timestamp == 1700000000, "%s: timestamp %lld", rel,
              (long long)info.timestamp);
    }
}

TEST(test_vectors51_roundtrip_absolute)
{
    char why[600];
    size_t n;
    lfs51_info_t info;
    uint8_t *p = vector("lfs51/group-a40280000.img", &n);
    CHECK(p, "cannot read the absolute vector");
    int bad = roundtrip(p, n, "group-a40280000.img", 0x40280000, &info, why,
                        sizeof why);
    free(p);
    CHECK(!bad, "%s", why);
    CHECK(info.absolute && info.base == 0x40280000, "base 0x%08x", info.base);
}
