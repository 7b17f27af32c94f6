/*
** flashimg_inspect.c: `flashimg inspect`: everything about a whole-flash
** image or a dump of a flash's start: the esptool header bytes, the
** firmware, the RCR page and partition table (and how first boot will
** plan it), the LFS (kind, size, modules, timestamp, full verification)
** and the SPIFFS file system (files and sizes). Parts beyond the end of a
** dump are said to be missing, not wrong.
** Spec: docs/flash-layout.md §1-§3, docs/lfs51.md §3-§5, docs/spiffs.md §1.18.
** Twin: flashimg_compose.c. May call: flashimg (flash, lfs, spiffs, layout,
** util), esphdr, ptab, the SPIFFS library, lfs_cli, lfs_buf, lfs_diag,
** libc.
*/
#include "flashimg/flashimg_layout.h"
#include "flashimg/flashimg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spiffs/spiffs.h"

/* Record one problem line; returns 1 (to count). */
static int problem(lfs_buf_t *problems, const lfs_diag_t *d)
{
    if (d->offset >= 0)
        lfs_buf_printf(problems, "byte 0x%lx: %s\n", d->offset, d->msg);
    else
        lfs_buf_printf(problems, "%s\n", d->msg);
    return 1;
}

static size_t avail_at(size_t n, uint32_t addr)
{
    return addr < n ? n - addr : 0;
}

static void header_text(const flash_map_t *f, lfs_buf_t *out)
{
    const esphdr_t *h = &f->hdr;
    unsigned sc = esphdr_size_code(h), fc = esphdr_freq_code(h);
    lfs_buf_printf(out, "esptool header: %02x %02x %02x %02x, entry 0x%08x\n",
                   h->magic, h->segments, h->flash_mode, h->flash_size_freq,
                   h->entry);
    lfs_buf_printf(out, "  flash mode %s (%u), size %s (code %u), frequency %s"
                   " (code 0x%x)\n", esphdr_mode_name(h->flash_mode),
                   h->flash_mode, esphdr_size_name(sc), sc,
                   esphdr_freq_name(fc), fc);
    for (unsigned i = 0; i < h->segments; i++)
        lfs_buf_printf(out, "  segment %u: load 0x%08x, %u bytes at 0x%x\n", i,
                       h->seg[i].addr, h->seg[i].len, h->seg[i].off);
    lfs_buf_printf(out, "  checksum 0x%02x %s, image 0x%x bytes\n", h->checksum,
                   h->checksum == h->computed ? "ok" : "WRONG", h->image_len);
}

static int firmware_text(const flash_map_t *f, lfs_buf_t *out,
                         lfs_buf_t *problems)
{
    int np = 0;
    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    if (f->hdr.checksum != f->hdr.computed) {
        lfs_fail(&d, (long)f->hdr.image_len - 1, LFS_EFORMAT, "esptool"
                 " checksum 0x%02x, but the segments give 0x%02x: the ROM"
                 " loader will not boot it; reflash the firmware",
                 f->hdr.checksum, f->hdr.computed);
        np += problem(problems, &d);
    }
    const ptab_item_t *er = flash_map_part(f, PTAB_EAGLEROM);
    if (er && f->hdr.image_len > er->addr + er->size) {
        lfs_diag_init(&d, NULL);
        lfs_fail(&d, -1, LFS_EFORMAT, "the esptool image (0x%x bytes) is"
                 " larger than EAGLEROM 0x%x+0x%x", f->hdr.image_len,
                 er->addr, er->size);
        np += problem(problems, &d);
    }
    if (f->standin)
        lfs_buf_printf(out, "firmware: flashimg stand-in (describes the"
                       " layout for the simulator; it does not run on a"
                       " chip), ends at 0x%x\n", f->fw_end);
    else
        lfs_buf_printf(out,
                       "firmware: 0x00000.bin 0x%x bytes, irom0 0x10000-0x%x"
                       " (0x%x bytes)\n", f->hdr.image_len, f->fw_end,
                       f->fw_end - PTAB_RCR_ADDR);
    const ptab_item_t *phy = flash_map_part(f, PTAB_PHY_DATA);
    if (phy && phy->addr < f->len)
        lfs_buf_printf(out, "PHY_DATA at 0x%x: %s\n", phy->addr,
                       f->p[phy->addr] == 0x05 ? "init data (byte 0 = 0x05)" :
                       "no init data: the firmware writes the default at first"
                       " boot");
    return np;
}

static void table_text(const flash_map_t *f, lfs_buf_t *out)
{
    lfs_buf_printf(out, "RCR page at 0x10000: %d record%s\n", f->page.nrec,
                   f->page.nrec == 1 ? "" : "s");
    for (int i = 0; i < f->page.nrec; i++) {
        const ptab_record_t *r = &f->page.rec[i];
        lfs_buf_printf(out, "  0x%05x: id %u (%s), %u words\n",
                       PTAB_RCR_ADDR + r->off, r->id, ptab_rcr_name(r->id),
                       r->len);
    }
    if (f->table.unplanned) {
        lfs_buf_printf(out, "partition table: the firmware's default, not"
                       " yet planned (end marker 0x%08x)\n",
                       f->table.end_marker);
        flashimg_table_text(&f->table, out);
        lfs_buf_printf(out,
                       "first boot on a 0x%x-byte flash will plan it as:\n",
                       f->flash_size);
    } else {
        lfs_buf_printf(out, "partition table: planned, for a 0x%x-byte flash\n",
                       f->flash_size);
    }
    flashimg_table_text(&f->plan, out);
}

static int lfs_text(const flash_map_t *f, lfs_buf_t *out,
                    lfs_buf_t *problems)
{
    const ptab_item_t *lp = flash_map_part(f, PTAB_LFS0);
    if (!lp) {
        lfs_buf_printf(out, "LFS: no LFS0 partition\n");
        return 0;
    }
    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    size_t av = avail_at(f->len, lp->addr);
    if (av > lp->size)
        av = lp->size;
    if (flashimg_lfs_describe(f->p + lp->addr, av, lp->addr, lp->size, out,
                              &d))
        return problem(problems, &d);
    return 0;
}

static int spiffs_text(const flash_map_t *f, lfs_buf_t *out,
                       lfs_buf_t *problems)
{
    const ptab_item_t *sp = flash_map_part(f, PTAB_SPIFFS0);
    if (!sp) {
        lfs_buf_printf(out, "SPIFFS: no SPIFFS0 partition\n");
        return 0;
    }
    lfs_buf_printf(out, "SPIFFS: SPIFFS0 0x%06x+0x%x\n", sp->addr, sp->size);
    lfs_diag_t d;
    lfs_diag_init(&d, NULL);
    uint32_t fa, fs;
    if (spiffs_fw_region(sp->addr, sp->size, &fa, &fs) < 0) {
        lfs_fail(&d, -1, LFS_EFORMAT, "SPIFFS0 0x%x+0x%x leaves less than"
                 " 16 KiB of 8 KiB-aligned space: the firmware mounts no"
                 " file system there", sp->addr, sp->size);
        return problem(problems, &d);
    }
    size_t av = avail_at(f->len, fa);
    if (av > fs)
        av = fs;
    if (flashimg_spiffs_describe(f->p + fa, av, fa, fs, out, &d))
        return problem(problems, &d);
    return 0;
}

int flashimg_inspect(const uint8_t *p, size_t n, uint32_t flash_size,
                     lfs_buf_t *out, lfs_buf_t *problems, lfs_diag_t *d)
{
    flash_map_t f;
    if (flash_map_open(&f, p, n, flash_size, d))
        return d->code;
    if (n >= f.flash_size)
        lfs_buf_printf(out,
                       "flash image: 0x%zx bytes, a whole 0x%x-byte flash\n", n,
                       f.flash_size);
    else
        lfs_buf_printf(out, "flash dump: 0x%zx bytes of a 0x%x-byte flash\n", n,
                       f.flash_size);
    header_text(&f, out);
    int np = firmware_text(&f, out, problems);
    table_text(&f, out);
    np += lfs_text(&f, out, problems);
    np += spiffs_text(&f, out, problems);
    if (out->err || problems->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    return np;
}

int flashimg_cmd_inspect(int argc, char **argv)
{
    const char *fsz = NULL;
    const lfs_cli_opt_t opt[] = {
        { "--flash-size", NULL, &fsz, NULL, 0 },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "inspect", .opt = opt, .nopt = 1,
        .min = 1, .max = 1, .needs = "inspect needs a FLASH image",
        .excess = "inspect takes one FLASH image",
    };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    const char *path = a.arg[0];
    uint32_t flash_size;
    uint8_t *data;
    size_t n;
    if ((rc = flashimg_read_flash(path, fsz, &flash_size, &data, &n)) != 0)
        return rc;
    lfs_buf_t out, problems;
    lfs_diag_t d;
    lfs_buf_init(&out);
    lfs_buf_init(&problems);
    lfs_diag_init(&d, path);
    int np = flashimg_inspect(data, n, flash_size, &out, &problems, &d);
    if (np < 0) {
        rc = flashimg_report(&d);
    } else {
        fwrite(out.data, 1, out.len, stdout);
        fflush(stdout);
        size_t s = 0;
        for (size_t i = 0; i < problems.len; i++)
            if (problems.data[i] == '\n') {
                fprintf(stderr, "%s: %s: %.*s\n", FLASHIMG_PROG, path,
                        (int)(i - s), (const char *)problems.data + s);
                s = i + 1;
            }
        rc = np ? FLASHIMG_BAD_INPUT : 0;
    }
    free(data);
    lfs_buf_free(&out);
    lfs_buf_free(&problems);
    return rc;
}
