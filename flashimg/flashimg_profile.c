/*
** flashimg_profile.c: device profiles (docs/architecture.md §5): the built-in
** esp8266 profile, the reader and writer of the key = value file form,
** and the number syntax every flashimg option shares.
** Spec: docs/flash-layout.md §1-§3 (flash sizes, layout), firmware/plat.h
** (plat_profile_esp8266). Twin: none (reader and writer side by side).
** May call: esphdr, ptab constants, lfs_buf, lfs_diag, libc.
**
** File form: one "key = value" per line; '#' starts a comment; blank
** lines are ignored; keys are case-sensitive and may appear once. Keys
** left out keep the built-in esp8266 values; with a real firmware, layout
** keys left out leave the firmware's own table alone.
**
**   name         free text
**   chip         esp8266
**   flash_size   1M, 2M, 4M, 8M or 16M (bytes: 0x400000, 4194304, 4MB)
**   flash_mode   qio, qout, dio, dout or keep (the firmware's header)
**   flash_freq   40m, 26m, 20m, 80m or keep
**   heap_size    bytes of Lua heap (the simulator's arena)
**   dialect      51 or 53
**   number       float or int (Lua 5.1 build)
**   number_bits  32 or 64 (Lua 5.3 build, LUA_NUMBER_64BITS)
**   lfs_addr     flash offset or auto (after the firmware)
**   lfs_size     bytes (0: no LFS) or auto (the firmware's)
**   spiffs_addr  flash offset or auto
**   spiffs_size  bytes (0: no SPIFFS), all (up to the system area) or
**                auto (the firmware's)
*/
#include "flashimg/flashimg.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"

void flashimg_profile_default(flashimg_profile_t *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "esp8266");
    snprintf(p->chip, sizeof p->chip, "esp8266");
    p->flash_size = 0x400000u;
    p->flash_mode = ESPHDR_KEEP;
    p->flash_freq = ESPHDR_KEEP;
    p->heap_size = 0xB000u;
    p->dialect = 51;
    p->integral = 0;
    p->int64 = 0;
    p->lfs_addr = 0x80000u;
    p->lfs_size = 0x40000u;
    p->spiffs_addr = PTAB_UNSET;
    p->spiffs_size = PTAB_ALL;
    p->builtin = 1;
}

int flashimg_parse_num(const char *s, uint32_t *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return -1;
    unsigned long long mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1024 * 1024, end++;
    if (mul > 1 && (*end == 'B' || *end == 'b'))
        end++;
    else if (mul > 1 && strcmp(end, "iB") == 0)
        end += 2;
    if (*end || v > 0xFFFFFFFFull / mul)
        return -1;
    *out = (uint32_t)(v * mul);
    return 0;
}

static const char *const keys[] = {
    "name", "chip", "flash_size", "flash_mode", "flash_freq", "heap_size",
    "dialect", "number", "number_bits", "lfs_addr", "lfs_size",
    "spiffs_addr", "spiffs_size"
};
#define NKEYS (sizeof keys / sizeof keys[0])

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

/* A layout value: a number (4 KiB multiple), "auto", or with all_ok
** "all". */
static int layout_value(const char *v, int all_ok, uint32_t *out)
{
    if (strcmp(v, "auto") == 0) {
        *out = PTAB_UNSET;
        return 0;
    }
    if (all_ok && (strcmp(v, "all") == 0 || strcmp(v, "-1") == 0)) {
        *out = PTAB_ALL;
        return 0;
    }
    if (flashimg_parse_num(v, out) < 0 || *out % PTAB_SECTOR)
        return -1;
    return 0;
}

static int set_key(flashimg_profile_t *p, int k, const char *v,
                   lfs_diag_t *d, int line)
{
    uint32_t u;
    int c;
    switch (k) {
    case 0:
        snprintf(p->name, sizeof p->name, "%s", v);
        return 0;
    case 1:
        if (strcmp(v, "esp8266") != 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "chip \"%s\": only"
                                 " esp8266 is known", v);
        snprintf(p->chip, sizeof p->chip, "%s", v);
        return 0;
    case 2:
        if (flashimg_parse_num(v, &u) < 0 || esphdr_code_for_size(u) < 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "flash_size \"%s\":"
                                 " give 1M, 2M, 4M, 8M or 16M", v);
        if (u < FLASH_MAP_MIN_FLASH)
            return lfs_fail_line(d, line, LFS_EFORMAT, "flash_size \"%s\":"
                                 " NodeMCU needs at least 1 MiB of flash",
                                 v);
        p->flash_size = u;
        return 0;
    case 3:
        if ((c = esphdr_parse_mode(v)) == -2)
            return lfs_fail_line(d, line, LFS_EFORMAT, "flash_mode \"%s\":"
                                 " give qio, qout, dio, dout or keep", v);
        p->flash_mode = c;
        return 0;
    case 4:
        if ((c = esphdr_parse_freq(v)) == -2)
            return lfs_fail_line(d, line, LFS_EFORMAT, "flash_freq \"%s\":"
                                 " give 40m, 26m, 20m, 80m or keep", v);
        p->flash_freq = c;
        return 0;
    case 5:
        if (flashimg_parse_num(v, &u) < 0 || u < 4096 || u > 81920 || u % 8)
            return lfs_fail_line(d, line, LFS_EFORMAT, "heap_size \"%s\":"
                                 " give 4096 to 81920 bytes, a multiple of"
                                 " 8", v);
        p->heap_size = u;
        return 0;
    case 6:
        if (strcmp(v, "51") != 0 && strcmp(v, "53") != 0 &&
            strcmp(v, "5.1") != 0 && strcmp(v, "5.3") != 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "dialect \"%s\":"
                                 " give 51 or 53", v);
        p->dialect = strchr(v, '3') ? 53 : 51;
        return 0;
    case 7:
        if (strcmp(v, "float") != 0 && strcmp(v, "int") != 0 &&
            strcmp(v, "integer") != 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "number \"%s\": give"
                                 " float or int", v);
        p->integral = strcmp(v, "float") != 0;
        return 0;
    case 8:
        if (strcmp(v, "32") != 0 && strcmp(v, "64") != 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "number_bits \"%s\":"
                                 " give 32 or 64", v);
        p->int64 = strcmp(v, "64") == 0;
        return 0;
    default: {
        uint32_t *dst[] = { &p->lfs_addr, &p->lfs_size, &p->spiffs_addr,
                            &p->spiffs_size };
        p->layout_set |= 1u << (k - 9);
        if (layout_value(v, k == 12, dst[k - 9]) < 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "%s \"%s\": give a"
                                 " multiple of 4 KiB (0x80000, 256K)%s or"
                                 " auto", keys[k], v,
                                 k == 12 ? ", all" : "");
        return 0;
    }
    }
}

int flashimg_profile_parse(const char *text, size_t n, flashimg_profile_t *p,
                           lfs_diag_t *d)
{
    char seen[NKEYS] = { 0 };
    int line = 0;
    size_t i = 0;
    flashimg_profile_default(p);
    p->builtin = 0;
    while (i < n) {
        char buf[512];
        size_t j = 0;
        line++;
        while (i < n && text[i] != '\n') {
            if (text[i] == 0)
                return lfs_fail_line(d, line, LFS_EFORMAT, "a NUL byte: a"
                                     " profile is a text file");
            if (j + 1 < sizeof buf)
                buf[j++] = text[i];
            else
                return lfs_fail_line(d, line, LFS_EFORMAT, "line longer"
                                     " than %zu bytes", sizeof buf - 1);
            i++;
        }
        i++;
        buf[j] = 0;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *s = trim(buf);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return lfs_fail_line(d, line, LFS_EFORMAT, "\"%s\" is not"
                                 " \"key = value\"", s);
        *eq = 0;
        char *key = trim(s), *val = trim(eq + 1);
        int k = -1;
        for (size_t q = 0; q < NKEYS; q++)
            if (strcmp(key, keys[q]) == 0)
                k = (int)q;
        if (k < 0)
            return lfs_fail_line(d, line, LFS_EFORMAT, "unknown key \"%s\";"
                                 " keys are name, chip, flash_size,"
                                 " flash_mode, flash_freq, heap_size,"
                                 " dialect, number, number_bits, lfs_addr,"
                                 " lfs_size, spiffs_addr, spiffs_size", key);
        if (seen[k]++)
            return lfs_fail_line(d, line, LFS_EFORMAT, "key \"%s\" given"
                                 " twice", key);
        if (!*val)
            return lfs_fail_line(d, line, LFS_EFORMAT, "key \"%s\" has no"
                                 " value", key);
        if (set_key(p, k, val, d, line))
            return d->code;
    }
    return 0;
}

int flashimg_profile_load(const char *arg, flashimg_profile_t *p,
                          lfs_diag_t *d)
{
    if (strcmp(arg, "esp8266") == 0) {
        flashimg_profile_default(p);
        return 0;
    }
    uint8_t *text;
    size_t n;
    if (lfs_file_read(arg, 65536, &text, &n, d))
        return d->code;
    int rc = flashimg_profile_parse((const char *)text, n, p, d);
    free(text);
    return rc;
}

static void put_layout(lfs_buf_t *out, const char *key, uint32_t v)
{
    char b[80];
    if (v == PTAB_UNSET)
        snprintf(b, sizeof b, "%-12s = auto\n", key);
    else if (v == PTAB_ALL)
        snprintf(b, sizeof b, "%-12s = all\n", key);
    else
        snprintf(b, sizeof b, "%-12s = 0x%x\n", key, v);
    lfs_buf_put(out, b, strlen(b));
}

void flashimg_profile_write(const flashimg_profile_t *p, lfs_buf_t *out)
{
    char b[600];
    snprintf(b, sizeof b,
             "# flashimg device profile: key = value, '#' starts a comment\n"
             "name         = %s\n"
             "chip         = %s\n"
             "flash_size   = %u%s\n"
             "flash_mode   = %s\n"
             "flash_freq   = %s\n"
             "heap_size    = %u\n"
             "dialect      = %d\n"
             "number       = %s\n"
             "number_bits  = %d\n",
             p->name, p->chip,
             p->flash_size % 0x100000 ? p->flash_size / 1024
                                      : p->flash_size / 0x100000,
             p->flash_size % 0x100000 ? "K" : "M",
             p->flash_mode == ESPHDR_KEEP ? "keep"
                 : esphdr_mode_name((unsigned)p->flash_mode),
             p->flash_freq == ESPHDR_KEEP ? "keep"
                 : esphdr_freq_name((unsigned)p->flash_freq),
             p->heap_size, p->dialect, p->integral ? "int" : "float",
             p->int64 ? 64 : 32);
    lfs_buf_put(out, b, strlen(b));
    put_layout(out, "lfs_addr", p->lfs_addr);
    put_layout(out, "lfs_size", p->lfs_size);
    put_layout(out, "spiffs_addr", p->spiffs_addr);
    put_layout(out, "spiffs_size", p->spiffs_size);
}
