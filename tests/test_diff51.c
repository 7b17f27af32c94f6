/*
** test_diff51.c: differential runs against Debian's lua5.1. Every module
** of an LFS image (NodeMCU's vector images, and ours of the same sources)
** is read back with lfs51_read, written as stock host bytecode with
** lc51_write, and run by lua5.1 in the sources' folder; its output must
** equal the vector's expected .out. This proves that what the readers
** take out of an image is the program that went in, constants, code,
** nesting and all. The example app's self-test runs the same way from
** our image of examples/.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/gz.h"
#include "lfs/lc51.h"
#include "lfs/lfs51.h"

static const lc51_target_t host = { LC51_STOCK, 8, 0, 0 };

/* Run every module of the gzip image `img` under lua5.1 in dir and compare
** each output with dir/<module>.out. Returns the number of modules run. */
static int run_image(const char *img, const char *dir, char *why, size_t wn)
{
    size_t n;
    uint8_t *file = th_read_file(img, &n);
    if (!file) {
        snprintf(why, wn, "cannot read %s", img);
        return -1;
    }
    lfs_buf_t payload;
    lfs_diag_t d;
    lfs_model_t m;
    lfs51_info_t info;
    lfs_proto_t *index;
    lfs_buf_init(&payload);
    lfs_model_init(&m);
    lfs_diag_init(&d, img);
    int rc = gz_inflate_buf(file, n, 1u << 24, &payload, &d);
    if (!rc)
        rc = lfs51_read(payload.data, payload.len, &m, &d, &info, &index);
    free(file);
    int runs = 0;
    for (int i = 0; !rc && i < index->sizep; i++) {
        const char *name = index->k[i].s.data;
        char bc[512], out[512], exp[512], cmd[2048];
        lfs_buf_t b;
        lfs_buf_init(&b);
        if (lc51_write(index->p[i], &host, &b, &d)) {
            rc = -1;
            snprintf(why, wn, "%s: %s", name, d.msg);
            lfs_buf_free(&b);
            break;
        }
        snprintf(bc, sizeof bc, "%s/%s.luac", th_tmpdir(), name);
        snprintf(out, sizeof out, "%s/%s.got", th_tmpdir(), name);
        snprintf(exp, sizeof exp, "%s/%s.out", dir, name);
        th_write_file(bc, b.data, b.len);
        lfs_buf_free(&b);
        snprintf(cmd, sizeof cmd, "cd '%s' && lua5.1 '%s' > '%s' 2>&1", dir,
                 bc, out);
        int st = system(cmd);
        size_t gn, en;
        uint8_t *got = th_read_file(out, &gn), *want = th_read_file(exp, &en);
        long diff = got && want ? th_first_diff(got, gn, want, en) : -2;
        if (st != 0 || diff != -1) {
            snprintf(why, wn, "%s from %s: lua5.1 exit %d, output differs"
                     " from %s at byte %ld", name, img, st, exp, diff);
            rc = -1;
        }
        free(got);
        free(want);
        runs++;
    }
    if (rc > 0 || (rc && !why[0]))
        snprintf(why, wn, "%s: %s", img, d.msg);
    lfs_buf_free(&payload);
    lfs_model_free(&m);
    return rc ? -1 : runs;
}

static int have_lua51(void)
{
    return system("lua5.1 -v >/dev/null 2>&1") == 0;
}

TEST(test_diff51_nodemcu_images)
{
    char why[1024] = "", img[512], dir[512];
    CHECK(have_lua51(), "lua5.1 is not installed (make deps installs it)");
    snprintf(dir, sizeof dir, "%s/src/lua51", th_vectors());
    const char *imgs[] = { "group.img", "group.int.img" };
    for (int i = 0; i < 2; i++) {
        snprintf(img, sizeof img, "%s/lfs51/%s", th_vectors(), imgs[i]);
        int runs = run_image(img, dir, why, sizeof why);
        CHECK(runs == (i ? 10 : 12), "%s", why);
    }
}

TEST(test_diff51_our_images)
{
    char why[1024] = "", img[512], dir[512], cmd[2048];
    CHECK(have_lua51(), "lua5.1 is not installed (make deps installs it)");
    snprintf(dir, sizeof dir, "%s/src/lua51", th_vectors());
    snprintf(img, sizeof img, "%s/ours.img", th_tmpdir());
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/luac.cross' -f -o '%s' *.lua"
             " > /dev/null", dir, th_bindir(), img);
    CHECK(system(cmd) == 0, "luac.cross failed on the vector sources");
    int runs = run_image(img, dir, why, sizeof why);
    CHECK(runs == 12, "%s", why);
}
