/*
** sim_host.c: the simulated device on the host (sim_host.h). An image
** reaches the VM only through the loader's checks: a relocatable one
** through node.LFS.reload's passes (pass 1 checks the relocated image as
** the boot will), an absolute one written raw, then the boot check, which
** checks the whole image (lfs/lfs51_check.c).
** Spec: docs/lfs51.md §4 (file forms), §5.1-5.2. Twin: none. May call:
** plat, ldr51, vm.h, lib (openers), lfs/lfs_file, libc.
*/
#include "firmware/host/sim_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/lib/lib.h"
#include "firmware/plat/plat.h"
#include "lfs/lfs51.h"
#include "lfs/lfs_file.h"

#define MAX_IMAGE (4u << 20)

static void console(void *ud, const char *s, size_t n)
{
    (void)ud;
    fwrite(s, 1, n, stdout);
}

/* Put an absolute image into the partition as esptool would. */
static int put_absolute(const sim_opts_t *o, const ldr51_cfg_t *cfg,
                        const uint8_t *img, size_t n)
{
    uint32_t base = PLAT_FLASH_MAPPED + cfg->lfs_addr;
    uint32_t mainp = n >= 12 ? lfs_le32(img + 8) : 0;
    if (n < 32 || n > cfg->lfs_size) {
        fprintf(stderr, "%s: %s: %zu bytes do not fit the LFS partition of"
                " %u bytes; build a smaller image\n", o->prog, o->lfs_image,
                n, cfg->lfs_size);
        return 1;
    }
    if (mainp < base || mainp >= base + n) {
        fprintf(stderr, "%s: %s: absolute image for another address (index"
                " at 0x%08x, partition mapped at 0x%08x); rebuild it with"
                " luac.cross -a 0x%08x\n", o->prog, o->lfs_image, mainp, base,
                base);
        return 1;
    }
    if (plat_flash_program(cfg->lfs_addr, img, (uint32_t)n) != 0) {
        fprintf(stderr, "%s: %s: cannot write the simulated flash\n",
                o->prog, o->lfs_image);
        return 1;
    }
    return 0;
}

/* Load the image file into flash; sets *integral from its signature. */
static int put_image(const sim_opts_t *o, ldr51_cfg_t *cfg)
{
    lfs_diag_t d;
    uint8_t *img;
    size_t n;
    lfs_diag_init(&d, o->lfs_image);
    if (lfs_file_read(o->lfs_image, MAX_IMAGE, &img, &n, &d)) {
        char line[700];
        lfs_diag_format(&d, o->prog, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 1;
    }
    int rc;
    uint32_t sig = n >= 4 ? lfs_le32(img) : 0;
    if (n >= 2 && img[0] == 0x1f && img[1] == 0x8b) {
        ldr51_file_t f;
        char msg[LDR51_MSG_SIZE];
        ldr51_file_mem(&f, img, (uint32_t)n);
        rc = ldr51_reload(cfg, &f, msg);
        if (rc && strcmp(msg, LDR51_MSG_BUILD) == 0) {
            cfg->integral = !cfg->integral;
            rc = ldr51_reload(cfg, &f, msg);
        }
        if (rc)
            fprintf(stderr, "%s: %s: %s; build it with luac.cross -f\n",
                    o->prog, o->lfs_image, msg);
    } else if ((sig & 0xFFFFFFF0u) == 0xFAFAA150u) {
        cfg->integral = (sig & 2u) != 0;
        rc = put_absolute(o, cfg, img, n);
    } else {
        fprintf(stderr, "%s: %s: not a Lua 5.1 LFS image (neither gzip nor"
                " signature 0xFAFAA15x); build it with luac.cross -f\n",
                o->prog, o->lfs_image);
        rc = 1;
    }
    free(img);
    return rc ? 1 : 0;
}

int sim_boot(const sim_opts_t *o, vm_State **L)
{
    const plat_profile_t *p = &plat_profile_esp8266;
    plat_config_t pc = { p->flash_size, o->heap_size };
    *L = NULL;
    if (plat_init(&pc) != 0) {
        fprintf(stderr, "%s: cannot create the device (heap %u bytes: a"
                " multiple of %u from %u to %u)\n", o->prog, o->heap_size,
                PLAT_HEAP_ALIGN, PLAT_HEAP_MIN, PLAT_DRAM_SIZE);
        return 2;
    }
    ldr51_cfg_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.lfs_addr = p->lfs_addr;
    cfg.lfs_size = p->lfs_size;
    cfg.integral = o->integral;
    ldr51_lfs_t lfs;
    memset(&lfs, 0, sizeof lfs);
    if (o->lfs_image) {
        if (put_image(o, &cfg)) {
            plat_deinit();
            return 1;
        }
        char msg[LDR51_MSG_SIZE];
        if (ldr51_boot(&cfg, &lfs, msg) != 0) {
            fprintf(stderr, "%s: %s: %s; rebuild the image with"
                    " luac.cross\n", o->prog, o->lfs_image, msg);
            plat_deinit();
            return 1;
        }
    }
    vm_config vc;
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.integral = cfg.integral;
    vc.gc_stress = o->gc_stress;
    vc.write = console;
    vc.compile = o->compile;
    vc.compile_ud = o->compile_ud;
    vc.lfs_mapped = lfs.base;
    vc.lfs_base = cfg.lfs_addr;
    vc.lfs_size = cfg.lfs_size;
    *L = vm_open(&vc);
    if (!*L) {
        fprintf(stderr, "%s: the heap of %u bytes cannot hold the Lua"
                " state; give a larger --heap\n", o->prog, plat_heap_size());
        plat_deinit();
        return 2;
    }
    return 0;
}

void sim_shutdown(vm_State *L)
{
    vm_close(L);
    plat_deinit();
}

static int report(vm_State *L, const char *prog, int status)
{
    if (status == 0)
        return 0;
    const char *msg = vm_tostring(L, -1);
    fprintf(stderr, "%s: %s\n", prog,
            msg ? msg : "(error object is not a string)");
    fflush(stderr);
    vm_pop(L, 1);
    return 1;
}

int sim_dostring(vm_State *L, const char *prog, const char *stat)
{
    int status = vm_loadbuffer(L, stat, strlen(stat), "=(command line)");
    if (status == 0)
        status = vm_pcalltrace(L, 0, 0);
    fflush(stdout);
    return report(L, prog, status);
}

int sim_dofile(vm_State *L, const char *prog, const char *path, int argc,
               char **argv)
{
    int status = vm_loadfile(L, path);
    if (status == 0) {
        for (int i = 0; i < argc; i++)
            vm_pushstring(L, argv[i]);
        status = vm_pcalltrace(L, argc, 0);
    }
    fflush(stdout);
    return report(L, prog, status);
}
