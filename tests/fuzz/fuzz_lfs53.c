/*
** fuzz_lfs53.c: libFuzzer target for the Lua 5.3 image and bytecode
** readers: every input goes to lfs53_read and to lc53_read in both
** flavours (stock host dumps and NodeMCU .lc). Whatever parses is written
** back (image stream, flash region, .lc), checked and listed, so the
** writers and the lister also meet hostile models. The line below names
** the seed files for tools/run-fuzz.sh (relative to the vectors). Flash
** regions are read too: the input itself, and the region written from
** every image that parses, which must read back.
*/
// # seeds: lfs53/*.img lfs53/*.lc
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lfs/lc53.h"
#include "lfs/lfs53.h"
#include "lfs/lfs53_list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lfs_model_t m;
    lfs_diag_t d;
    lfs_buf_t b;
    lfs53_info_t info;
    lfs_proto_t *f;
    lfs_model_init(&m);
    lfs_diag_init(&d, "fuzz");
    lfs_buf_init(&b);
    if (lfs53_read(data, size, &m, &d, &info, &f) == 0) {
        lfs53_opts_t o = { info.int64, !info.hasnames, info.seed, 1 };
        lfs53_write(f, &o, &b, &d);
        b.len = 0;
        if (lfs53_write_region(f, &o, 0x40280000, &b, &d) == 0) {
            lfs_model_t m2;
            lfs53_info_t i2;
            lfs_proto_t *g;
            uint32_t base;
            lfs_model_init(&m2);
            if (lfs53_read_region(b.data, b.len, &m2, &d, &i2, &base, &g))
                abort();    /* our own region must read back */
            lfs_model_free(&m2);
        }
        b.len = 0;
        lfs53_check(f, &info, 0x40000, &d);
        lfs53_list_proto(f, 1, &b);
    }
    lfs_model_free(&m);
    {
        uint32_t base;
        lfs_model_init(&m);
        lfs_diag_init(&d, "fuzz");
        if (lfs53_read_region(data, size, &m, &d, &info, &base, &f) == 0) {
            b.len = 0;
            lfs53_list_proto(f, 1, &b);
        }
        lfs_model_free(&m);
    }
    for (int fl = LC53_STOCK; fl <= LC53_NODEMCU; fl++) {
        lc53_info_t h;
        lfs_model_init(&m);
        lfs_diag_init(&d, "fuzz");
        if (lc53_read(data, size, (lc53_flavour_t)fl, &m, &d, &h, &f) == 0) {
            lc53_target_t t = { h.sizeof_integer == 8, 0 };
            b.len = 0;
            lc53_write(f, &t, &b, &d);
            b.len = 0;
            lfs53_list_proto(f, 1, &b);
        }
        lfs_model_free(&m);
    }
    lfs_buf_free(&b);
    return 0;
}
