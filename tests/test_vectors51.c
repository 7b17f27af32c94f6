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

/* Rebuild a row with luac.cross (-o into the tmpdir, the clock pinned):
** its output, or NULL. */
static uint8_t *build(const th_row_t *r, int *rc, size_t *len)
{
    return th_luac_row(r, "lua51", strstr(r->variant, "integer")
                       ? "--timestamp 1700000000 --target 5.1-int"
                       : "--timestamp 1700000000", rc, len);
}

TEST(test_vectors51_rebuild_every_row)
{
    th_row_t *rows;
    int n = th_manifest("lfs51/", 7, NULL, &rows);
    CHECK(n >= 40, "MANIFEST.tsv has %d lfs51 rows; is VECTORS right?", n);
    size_t ours = 0, theirs = 0;
    int checked = 0;
    for (int i = 0; i < n; i++) {
        const th_row_t *r = &rows[i];
        int rc;
        size_t gn;
        uint8_t *got = build(r, &rc, &gn);
        CHECK(rc == 0, "%s: luac.cross failed (%d)", r->output, rc);
        CHECK(got, "%s: no output file", r->output);
        int relocatable = strstr(r->options, "-f") != NULL;
        char vpath[256];
        snprintf(vpath, sizeof vpath, "%s", r->output);
        if (relocatable) {
            strcpy(strrchr(vpath, '.'), ".payload");
            lfs_buf_t b;
            lfs_diag_t d;
            lfs_buf_init(&b);
            lfs_diag_init(&d, r->output);
            int irc = gz_inflate_buf(got, gn, 1u << 24, &b, &d);
            ours += gn;
            theirs += (size_t)atol(r->size);
            free(got);
            CHECK(irc == 0, "%s: our image fails the device inflater: %s",
                  r->output, d.msg);
            got = b.data;
            gn = b.len;
        }
        size_t vn;
        uint8_t *want = th_read_vector(vpath, &vn);
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
        uint8_t *p = th_read_vector(rel, &n);
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
    uint8_t *p = th_read_vector("lfs51/group-a40280000.img", &n);
    CHECK(p, "cannot read the absolute vector");
    int bad = roundtrip(p, n, "group-a40280000.img", 0x40280000, &info, why,
                        sizeof why);
    free(p);
    CHECK(!bad, "%s", why);
    CHECK(info.absolute && info.base == 0x40280000, "base 0x%08x", info.base);
}
