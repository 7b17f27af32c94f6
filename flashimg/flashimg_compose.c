/*
** flashimg_compose.c: `flashimg compose`: one whole-flash image from a
** firmware (combined, split, or flashimg's stand-in), an LFS image and a
** SPIFFS image or directory, laid out by the firmware's partition table,
** the device profile and the options.
** Spec: docs/flash-layout.md §5 (the recipe), §2 (header), §3 (table);
** docs/architecture.md §3 "Devices". Twin: flashimg_inspect.c reads what this
** writes. May call: flashimg (profile, layout, util), esphdr, ptab, lfs_cli,
** lfs_file, libc.
**
** Where the layout comes from, strongest first: the command line
** (--lfs-addr ...), then a profile file's layout keys, then the
** firmware's own partition table as its first boot plans it. The
** stand-in firmware carries a default table made from the profile (the
** built-in one: LFS 0x80000 + 0x40000, SPIFFS after it), so there the
** profile is the firmware's table. With a real firmware the built-in
** profile's layout keys are not used: its table decides, as it does on a
** device flashed with esptool.
**
** Stand-in firmware (for the simulator; it does not run on a chip):
**   0x00000  esptool image: E9 01 mode size|freq, entry 0x40100000, one
**            segment at 0x40100000 of 16 bytes "flashimg-standin",
**            zero padding, checksum: 48 bytes
**   0x10000  RCR page: the partition-table record (id 1), then 0xFF; as
**            written it holds the final table, no end marker
**   else     0xFF
** Its irom0 is that one page: the default table's end marker is
** 0x40211000, so IROM0 is planned as 0x10000 + 0x2000.
*/
#include "flashimg/flashimg_layout.h"
#include "flashimg/flashimg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"

typedef struct copts {
    const char *out, *profile, *fw, *fw0, *fw10;
    const char *lfs, *spiffs, *spiffs_dir;
    const char *flash_size, *mode, *freq;
    int standin, trim;
    ptab_req_t req;
} copts_t;

static int parse(int argc, char **argv, copts_t *o)
{
    memset(o, 0, sizeof *o);
    ptab_req_init(&o->req);
    const lfs_cli_opt_t opt[] = {
        { "--output", "-o", &o->out, NULL, 0 },
        { "--profile", NULL, &o->profile, NULL, 0 },
        { "--flash-size", NULL, &o->flash_size, NULL, 0 },
        { "--flash-mode", NULL, &o->mode, NULL, 0 },
        { "--flash-freq", NULL, &o->freq, NULL, 0 },
        { "--firmware", NULL, &o->fw, NULL, 0 },
        { "--firmware0", NULL, &o->fw0, NULL, 0 },
        { "--firmware10", NULL, &o->fw10, NULL, 0 },
        { "--lfs", NULL, &o->lfs, NULL, 0 },
        { "--spiffs", NULL, &o->spiffs, NULL, 0 },
        { "--spiffs-dir", NULL, &o->spiffs_dir, NULL, 0 },
        { "--lfs-addr", NULL, &o->req.lfs_addr, flashimg_take_layout, 0 },
        { "--lfs-size", NULL, &o->req.lfs_size, flashimg_take_layout, 0 },
        { "--spiffs-addr", NULL, &o->req.spiffs_addr, flashimg_take_layout,
          0 },
        { "--spiffs-size", NULL, &o->req.spiffs_size, flashimg_take_layout,
          FLASHIMG_TAKE_ALL },
        { "--stand-in", NULL, &o->standin, lfs_cli_flag, 0 },
        { "--trim", NULL, &o->trim, lfs_cli_flag, 0 },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "compose",
        .opt = opt, .nopt = sizeof opt / sizeof opt[0],
        .excess = "compose takes no operand (%s); name inputs with"
                  " --firmware, --lfs, ...",
    };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    if (!o->out)
        return flashimg_usage("compose needs -o FLASH.bin");
    int fw = (o->fw != NULL) + (o->fw0 || o->fw10) + o->standin;
    if (fw != 1)
        return flashimg_usage("compose needs one firmware: --firmware FW.bin,"
                              " --firmware0 0x00000.bin --firmware10"
                              " 0x10000.bin, or --stand-in");
    if ((o->fw0 != NULL) != (o->fw10 != NULL))
        return flashimg_usage("--firmware0 and --firmware10 go together");
    if (o->spiffs && o->spiffs_dir)
        return flashimg_usage("give --spiffs IMAGE or --spiffs-dir DIR, not"
                              " both");
    return 0;
}

/* The stand-in firmware, with a default table made from the profile. */
static int standin(const flashimg_profile_t *p, uint32_t flash_size,
                   int mode, int freq, uint8_t *buf, lfs_diag_t *d)
{
    esphdr_seg_data_t seg = { FLASH_MAP_STANDIN_LOAD, FLASH_MAP_STANDIN_TAG,
                              16 };
    lfs_buf_t h;
    lfs_buf_init(&h);
    uint8_t sf = (uint8_t)(esphdr_code_for_size(flash_size) <<
                           ESPHDR_SIZE_SHIFT |
                           (freq == ESPHDR_KEEP ? ESPHDR_40M : freq));
    if (esphdr_write_image(&h, (uint8_t)(mode == ESPHDR_KEEP ? ESPHDR_DIO
                                          : mode), sf,
                           FLASH_MAP_STANDIN_LOAD, &seg, 1, d)) {
        lfs_buf_free(&h);
        return d->code;
    }
    memcpy(buf, h.data, h.len);
    lfs_buf_free(&h);
    uint32_t lfs_size = p->lfs_size == PTAB_UNSET ? 0 : p->lfs_size;
    const ptab_item_t items[] = {
        { PTAB_EAGLEROM, 0, FLASHIMG_EAGLEROM },
        { PTAB_RF_CAL, 0xD000, 0x1000 },
        { PTAB_PHY_DATA, 0xF000, 0x1000 },
        { PTAB_IROM0TEXT, PTAB_RCR_ADDR, 0 },
        { PTAB_LFS0, p->lfs_addr == PTAB_UNSET ? 0 : p->lfs_addr, lfs_size },
        { PTAB_SPIFFS0, p->spiffs_addr == PTAB_UNSET ? 0 : p->spiffs_addr,
          p->spiffs_size == PTAB_UNSET ? PTAB_ALL : p->spiffs_size },
        { PTAB_SYSTEM_PARAMETER, 0, PTAB_SYSPARAM_SIZE },
    };
    ptab_t t;
    memset(&t, 0, sizeof t);
    t.n = (int)(sizeof items / sizeof items[0]);
    memcpy(t.item, items, sizeof items);
    t.unplanned = 1;
    t.end_marker = PTAB_IROM0_MAPPED + FLASH_MAP_STANDIN_IROM0;
    return ptab_write_page(NULL, NULL, &t, buf + PTAB_RCR_ADDR, d);
}

/* Put the firmware into buf; *fw_end = where its bytes end. */
static int load_firmware(const copts_t *o, const flashimg_profile_t *p,
                         uint32_t flash_size, int mode, int freq,
                         uint8_t *buf, uint32_t *fw_end)
{
    lfs_diag_t d;
    uint8_t *data;
    size_t n;
    if (o->standin) {
        lfs_diag_init(&d, NULL);
        *fw_end = PTAB_RCR_ADDR + FLASH_MAP_STANDIN_IROM0;
        return standin(p, flash_size, mode, freq, buf, &d)
               ? flashimg_report(&d) : 0;
    }
    if (o->fw) {
        if (flashimg_read_file(o->fw, FLASHIMG_MAX_INPUT, &data, &n))
            return FLASHIMG_BAD_INPUT;
        if (n < PTAB_RCR_ADDR + 4) {
            free(data);
            return flashimg_err(o->fw, "0x%zx bytes: a combined firmware"
                                " image holds 0x00000.bin, 0xFF up to"
                                " 0x10000, then 0x10000.bin; for the two"
                                " files use --firmware0 and --firmware10",
                                n);
        }
        memcpy(buf, data, n < flash_size ? n : flash_size);
        free(data);
        flash_map_t f;
        lfs_diag_init(&d, o->fw);
        if (flash_map_open(&f, buf, flash_size, flash_size, &d))
            return flashimg_report(&d);
        /* anything after the firmware (a dump's old LFS, SPIFFS) goes */
        memset(buf + f.fw_end, 0xFF, flash_size - f.fw_end);
        *fw_end = f.fw_end;
        return 0;
    }
    if (flashimg_read_file(o->fw0, FLASHIMG_MAX_INPUT, &data, &n))
        return FLASHIMG_BAD_INPUT;
    esphdr_t h;
    lfs_diag_init(&d, o->fw0);
    if (esphdr_read(data, n, &h, &d)) {
        free(data);
        return flashimg_report(&d);
    }
    if (n > PTAB_RCR_ADDR) {
        free(data);
        return flashimg_err(o->fw0, "0x%zx bytes: 0x00000.bin must end"
                            " before 0x10000 (did you mean --firmware?)",
                            n);
    }
    memcpy(buf, data, n);
    free(data);
    if (flashimg_read_file(o->fw10, FLASHIMG_MAX_INPUT, &data, &n))
        return FLASHIMG_BAD_INPUT;
    if (n < 4 || n > flash_size - PTAB_RCR_ADDR) {
        free(data);
        return flashimg_err(o->fw10, "0x%zx bytes: 0x10000.bin (irom0,"
                            " starting with the partition-table page) must"
                            " fit the 0x%x-byte flash after 0x10000", n,
                            flash_size);
    }
    memcpy(buf + PTAB_RCR_ADDR, data, n);
    free(data);
    *fw_end = PTAB_RCR_ADDR + (uint32_t)n;
    return 0;
}

int flashimg_cmd_compose(int argc, char **argv)
{
    copts_t o;
    flashimg_profile_t prof;
    lfs_diag_t d;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    const char *in[] = { o.fw, o.fw0, o.fw10, o.lfs, o.spiffs, o.profile };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        if (flashimg_check_output(o.out, in[i]))
            return FLASHIMG_BAD_INPUT;
    lfs_diag_init(&d, o.profile);
    if (flashimg_profile_load(o.profile ? o.profile : "esp8266", &prof, &d))
        return flashimg_report(&d);
    uint32_t flash_size = prof.flash_size;
    /* (a profile's flash size is at least FLASH_MAP_MIN_FLASH) */
    if (flashimg_flash_size("--flash-size", o.flash_size,
                            FLASH_MAP_MIN_FLASH, &flash_size))
        return FLASHIMG_USAGE;
    int mode = prof.flash_mode, freq = prof.flash_freq;
    if (o.mode && (mode = esphdr_parse_mode(o.mode)) == -2)
        return flashimg_usage("--flash-mode %s: give qio, qout, dio, dout or"
                              " keep", o.mode);
    if (o.freq && (freq = esphdr_parse_freq(o.freq)) == -2)
        return flashimg_usage("--flash-freq %s: give 40m, 26m, 20m, 80m or"
                              " keep", o.freq);
    flashimg_job_t job;
    memset(&job, 0, sizeof job);
    job.prof = &prof;
    job.fw_name = o.fw ? o.fw : o.fw10;
    job.flash_size = flash_size;
    job.mode = mode;
    job.freq = freq;
    job.set_size = 1;
    job.req = o.req;
    job.lfs_file = o.lfs;
    job.spiffs_file = o.spiffs;
    job.spiffs_dir = o.spiffs_dir;
    job.out = o.out;
    if (!prof.builtin && !o.standin) {
        /* a profile file's layout keys, under the command line's */
        uint32_t *dst[4] = { &job.req.lfs_addr, &job.req.lfs_size,
                             &job.req.spiffs_addr, &job.req.spiffs_size };
        uint32_t src[4] = { prof.lfs_addr, prof.lfs_size, prof.spiffs_addr,
                            prof.spiffs_size };
        for (int k = 0; k < 4; k++)
            if (*dst[k] == PTAB_UNSET && (prof.layout_set >> k & 1))
                *dst[k] = src[k];
    }
    lfs_buf_t img, report;
    lfs_buf_init(&img);
    lfs_buf_init(&report);
    if (lfs_buf_reserve(&img, flash_size) < 0) {
        return flashimg_err(NULL, "out of memory");
    }
    memset(img.data, 0xFF, flash_size);
    img.len = flash_size;
    rc = load_firmware(&o, &prof, flash_size, mode, freq, img.data,
                       &job.fw_end);
    if (!rc && flashimg_layout(&job, &img, &report, &d))
        rc = flashimg_report(&d);
    if (!rc) {
        size_t len = img.len;
        if (o.trim) {
            while (len > 0 && img.data[len - 1] == 0xFF)
                len--;
            len = (len + PTAB_SECTOR - 1) & ~(size_t)(PTAB_SECTOR - 1);
        }
        lfs_diag_init(&d, o.out);
        if (lfs_file_write(o.out, img.data, len, &d))
            rc = flashimg_report(&d);
    }
    if (!rc) {
        FILE *f = strcmp(o.out, "-") == 0 ? stderr : stdout;
        fprintf(f, "%s: %s flash image, 0x%x bytes of flash%s\n", o.out,
                o.standin ? "stand-in firmware" : "NodeMCU firmware",
                flash_size, o.trim ? " (trimmed)" : "");
        fwrite(report.data, 1, report.len, f);
    }
    lfs_buf_free(&img);
    lfs_buf_free(&report);
    return rc;
}
