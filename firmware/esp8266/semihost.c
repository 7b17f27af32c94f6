/*
** semihost.c: the Xtensa ISS semihosting calls (semihost.h) and the C
** library's ties to them: picolibc's stdout/stderr and _exit.
** Spec: QEMU target/xtensa/xtensa-semi.c. Twin: none. May call: picolibc.
*/
#include "firmware/esp8266/semihost.h"

#include <stdio.h>
#include <string.h>

static int simcall(int nr, uint32_t a, uint32_t b, uint32_t c)
{
    register int32_t r2 __asm__("a2") = nr;
    register uint32_t r3 __asm__("a3") = a;
    register uint32_t r4 __asm__("a4") = b;
    register uint32_t r5 __asm__("a5") = c;
    __asm__ volatile("simcall"
                     : "+r"(r2), "+r"(r3)
                     : "r"(r4), "r"(r5)
                     : "memory");
    return r2;
}

int semihost_write(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    size_t left = n;
    while (left > 0) {
        int r = simcall(SEMIHOST_SYS_WRITE, (uint32_t)fd,
                        (uint32_t)(uintptr_t)p, (uint32_t)left);
        if (r <= 0)
            return -1;
        p += r;
        left -= (size_t)r;
    }
    return (int)n;
}

void semihost_console(void *ud, const char *s, size_t n)
{
    (void)ud;
    semihost_write(1, s, n);
}

_Noreturn void semihost_exit(int st)
{
    for (;;)
        simcall(SEMIHOST_SYS_EXIT, (uint32_t)st, 0, 0);
}

int semihost_args(char *buf, size_t size, char **argv, int max)
{
    int argc = simcall(SEMIHOST_SYS_ARGC, 0, 0, 0);
    int need = simcall(SEMIHOST_SYS_ARGV_SZ, 0, 0, 0);
    /* _ARGV writes argc + 1 pointers, then the strings, into one buffer,
    ** which must be word-aligned. */
    if (argc < 0 || argc >= max || need < 0 || (size_t)need > size ||
        (uintptr_t)buf % 4)
        return 0;
    memset(buf, 0, size);
    simcall(SEMIHOST_SYS_ARGV, (uint32_t)(uintptr_t)buf, 0, 0);
    char **v = (char **)(void *)buf;
    for (int i = 0; i < argc; i++)
        argv[i] = v[i];
    argv[argc] = NULL;
    return argc;
}

/* ---- picolibc ------------------------------------------------------------ */

/* stdout and stderr: unbuffered, one simcall per character is too slow,
** so a line buffer flushed at '\n' and by fflush. */
static char line[128];
static size_t nline;

static int out_flush(FILE *f)
{
    (void)f;
    if (nline)
        semihost_write(1, line, nline);
    nline = 0;
    return 0;
}

static int out_put(char c, FILE *f)
{
    line[nline++] = c;
    if (c == '\n' || nline == sizeof line)
        out_flush(f);
    return (unsigned char)c;
}

static FILE out = FDEV_SETUP_STREAM(out_put, NULL, out_flush,
                                    _FDEV_SETUP_WRITE);
FILE *const stdout = &out;
FILE *const stderr = &out;
FILE *const stdin = NULL;

void _exit(int st)
{
    out_flush(NULL);
    semihost_exit(st);
}
