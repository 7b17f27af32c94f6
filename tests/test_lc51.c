/*
** test_lc51.c: target .lc files. Reads every NodeMCU .lc vector, writes it
** back (round trip), and compares our compiler path (host dump -> model ->
** target .lc) with the vectors byte for byte via luac.cross.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc51.h"

static const char *mods[] = { "hello", "closures", "varargs", "nest4",
    "manyk", "longstr", "numedge", "fields", "meta", "strlib", "bigmod",
    "control", "hello.int", "closures.int", "varargs.int", "nest4.int",
    "manyk.int", "longstr.int", "fields.int", "meta.int", "bigmod.int",
    "control.int", "hello.s", "closures.s" };

TEST(test_lc51_roundtrip_vectors)
{
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
        char path[512];
        size_t n;
        snprintf(path, sizeof path, "%s/lfs51/%s.lc", th_vectors(), mods[i]);
        uint8_t *p = th_read_file(path, &n);
        CHECK(p, "cannot read %s", path);
        lfs_model_t m;
        lfs_diag_t d;
        lc51_header_t h;
        lfs_proto_t *f;
        lfs_model_init(&m);
        lfs_diag_init(&d, path);
        int rc = lc51_read(p, n, LC51_NODEMCU, &m, &d, &h, &f);
        if (rc) {
            free(p);
            lfs_model_free(&m);
            CHECK(0, "%s: %s at byte 0x%lx", path, d.msg, d.offset);
        }
        lc51_target_t t = h.integral ? lc51_nodemcu_int : lc51_nodemcu_float;
        t.strip = strstr(mods[i], ".s") != NULL;
        lfs_buf_t b;
        lfs_buf_init(&b);
        rc = lc51_write(f, &t, &b, &d);
        long diff = rc ? -2 : th_first_diff(b.data, b.len, p, n);
        lfs_buf_free(&b);
        lfs_model_free(&m);
        free(p);
        CHECK(rc == 0, "%s: write failed: %s", path, d.msg);
        CHECK(diff < 0, "%s: rewritten file differs at byte 0x%lx", path,
              diff);
    }
}
