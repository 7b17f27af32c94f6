/*
** tests/fuzz/fuzz_flashimg.c: libFuzzer target for flashimg's parsers of
** untrusted bytes: the esptool header, the RCR page and partition table
** (read, first-boot planning, edits, checks, and a write/read round trip
** that must give the same table back), device profiles, LFS preparation
** (inflate, validate, relocate), and inspect over a whole flash image:
** the input as it is, and the input laid into a 1 MiB flash behind a
** valid stand-in header (first 4 KiB as the RCR page, the rest at the
** LFS and SPIFFS addresses). Nothing may crash, hang or overrun.
** Spec: docs/flash-layout.md §2-§5. Twin: none. May call: flashimg's library
** (esphdr, ptab, flashimg), lfs/, the SPIFFS library, libc.
*/
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
/* Seed files for tools/run-fuzz.sh, relative to the vectors folder:
# seeds: lfs51/hello.img lfs51/group-a40280000.img spiffs/fs64k.img
*/
#pragma GCC diagnostic pop

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flashimg/flashimg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FLASH (1u << 20)

static void tables(const uint8_t *data, size_t size)
{
    ptab_page_t pg;
    ptab_t t;
    lfs_diag_t d;
    uint8_t page[PTAB_PAGE_SIZE];
    lfs_diag_init(&d, NULL);
    if (ptab_read_page(data, size, &pg, &d) || ptab_read(data, &pg, &t, &d))
        return;
    static const uint32_t sizes[] = { 0x100000, 0x400000, 0x1000000 };
    for (int i = 0; i < 3; i++) {
        ptab_t p = t;
        lfs_diag_init(&d, NULL);
        if (ptab_plan_firstboot(&p, sizes[i], &d))
            continue;
        ptab_req_t r;
        ptab_req_init(&r);
        if (size > 8) {
            r.lfs_size = (uint32_t)data[size - 1] << 13;
            r.spiffs_addr = (uint32_t)data[size - 2] << 14;
            r.spiffs_size = data[size - 3] & 1 ? PTAB_ALL
                            : (uint32_t)data[size - 4] << 14;
        }
        lfs_diag_init(&d, NULL);
        ptab_apply(&p, &r, sizes[i], &d);
        lfs_diag_init(&d, NULL);
        ptab_check(&p, sizes[i], &d);
        lfs_diag_init(&d, NULL);
        uint8_t old[PTAB_PAGE_SIZE];
        memset(old, 0xFF, sizeof old);
        memcpy(old, data, size < sizeof old ? size : sizeof old);
        if (p.n > 0 && ptab_write_page(old, &pg, &p, page, &d) == 0) {
            ptab_page_t pg2;
            ptab_t t2;
            if (ptab_read_page(page, sizeof page, &pg2, &d) ||
                ptab_read(page, &pg2, &t2, &d) || t2.n != p.n ||
                memcmp(t2.item, p.item, sizeof p.item[0] * (size_t)p.n))
                abort();
        }
    }
}

static void inspect(const uint8_t *p, size_t n)
{
    lfs_buf_t out, problems;
    lfs_diag_t d;
    lfs_buf_init(&out);
    lfs_buf_init(&problems);
    lfs_diag_init(&d, NULL);
    flashimg_inspect(p, n, 0, &out, &problems, &d);
    lfs_buf_free(&out);
    lfs_buf_free(&problems);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FLASH)
        return 0;
    esphdr_t h;
    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    esphdr_read(data, size, &h, &d);
    tables(data, size);
    /* a profile */
    flashimg_profile_t prof;
    lfs_diag_init(&d, NULL);
    flashimg_profile_parse((const char *)data, size, &prof, &d);
    /* an LFS file for a partition at 0x80000 */
    if (size <= 0x10000) {
        lfs_buf_t out;
        flashimg_lfs_info_t info;
        flashimg_profile_default(&prof);
        lfs_buf_init(&out);
        lfs_diag_init(&d, NULL);
        flashimg_lfs_prepare(data, size, &prof, 0x80000, 0x40000, &out,
                             &info, &d);
        lfs_buf_free(&out);
    }
    /* inspect: the input, then the input inside a stand-in flash */
    inspect(data, size);
    uint8_t *img = malloc(FLASH);
    if (!img)
        return 0;
    memset(img, 0xFF, FLASH);
    static const uint8_t hdr[48] = {
        0xE9, 0x01, 0x02, 0x20, 0x00, 0x00, 0x10, 0x40,
        0x00, 0x00, 0x10, 0x40, 0x10, 0x00, 0x00, 0x00,
        'f', 'l', 'a', 's', 'h', 'i', 'm', 'g',
        '-', 's', 't', 'a', 'n', 'd', 'i', 'n',
    };
    memcpy(img, hdr, sizeof hdr);
    uint8_t sum = 0xEF;
    for (int i = 16; i < 32; i++)
        sum ^= hdr[i];
    img[47] = sum;
    size_t pn = size < PTAB_PAGE_SIZE ? size : PTAB_PAGE_SIZE;
    memcpy(img + PTAB_RCR_ADDR, data, pn);
    if (size > pn) {
        size_t rest = size - pn;
        memcpy(img + 0x80000, data + pn, rest < 0x40000 ? rest : 0x40000);
        if (rest > 0x40000)
            memcpy(img + 0xC0000, data + pn + 0x40000, rest - 0x40000 <
                   FLASH - 0xC0000 ? rest - 0x40000 : FLASH - 0xC0000);
    }
    inspect(img, FLASH);
    free(img);
    return 0;
}
