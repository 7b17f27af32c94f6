/*
** fuzz_lfs51.c: libFuzzer target for the Lua 5.1 image and bytecode
** readers: gzip images go through the device-limit inflater and then
** lfs51_read; other input goes to lfs51_read directly and to lc51_read in
** both flavours. Whatever parses is written back and listed, so the
** writers and the lister also meet hostile models. The line below names
** the seed files for tools/run-fuzz.sh (relative to the vectors).
*/
// # seeds: lfs51/*.img lfs51/*.payload lfs51/*.lc
#include <stddef.h>
#include <stdint.h>

#include "lfs/gz.h"
#include "lfs/lc51.h"
#include "lfs/lfs51.h"
#include "lfs/lfs51_list.h"

static void exercise(const lfs_proto_t *f, int integral, int image)
{
    lfs_buf_t b;
    lfs_diag_t d;
    lfs_buf_init(&b);
    lfs_diag_init(&d, "fuzz");
    if (image) {
        lfs51_opts_t o = { integral, 0 };
        lfs51_write(f, &o, &b, &d);
    } else {
        lc51_write(f, integral ? &lc51_nodemcu_int : &lc51_nodemcu_float,
                   &b, &d);
    }
    b.len = 0;
    lfs51_list_proto(f, 1, &b);
    lfs_buf_free(&b);
}

static void image(const uint8_t *p, size_t n)
{
    lfs_model_t m;
    lfs_diag_t d;
    lfs51_info_t info;
    lfs_proto_t *f;
    lfs_model_init(&m);
    lfs_diag_init(&d, "fuzz");
    if (lfs51_read(p, n, &m, &d, &info, &f) == 0)
        exercise(f, info.integral, 1);
    lfs_model_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == GZ_ID1 && data[1] == GZ_ID2) {
        lfs_buf_t out;
        lfs_diag_t d;
        lfs_buf_init(&out);
        lfs_diag_init(&d, "fuzz");
        if (gz_inflate_buf(data, size, 1u << 20, &out, &d) == 0)
            image(out.data, out.len);
        lfs_buf_free(&out);
        return 0;
    }
    image(data, size);
    for (int fl = LC51_STOCK; fl <= LC51_NODEMCU; fl++) {
        lfs_model_t m;
        lfs_diag_t d;
        lc51_header_t h;
        lfs_proto_t *f;
        lfs_model_init(&m);
        lfs_diag_init(&d, "fuzz");
        if (lc51_read(data, size, (lc51_flavour_t)fl, &m, &d, &h, &f) == 0)
            exercise(f, h.integral, 0);
        lfs_model_free(&m);
    }
    return 0;
}
