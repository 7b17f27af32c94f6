/*
** semihost.h: the target's only way out of the chip under QEMU: the Xtensa
** ISS semihosting calls (the `simcall` instruction, QEMU's
** -semihosting): console writes, the command line, exit. a2 holds the
** call number, a3..a5 the arguments; a2 returns the result and a3 errno.
** Spec: QEMU target/xtensa/xtensa-semi.c (call numbers below).
** Twin: none (the host writes to stdout). May call: nothing.
*/
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

/* Call numbers of the Xtensa ISS (QEMU xtensa-semi.c, TARGET_SYS_*). */
#define SEMIHOST_SYS_EXIT     1
#define SEMIHOST_SYS_WRITE    4
#define SEMIHOST_SYS_ARGC     1000
#define SEMIHOST_SYS_ARGV_SZ  1001   /* bytes _ARGV needs */
#define SEMIHOST_SYS_ARGV     1002   /* argv[] then the strings */

/* Write n bytes to the host's file descriptor fd (1 stdout, 2 stderr);
** returns the count written or a negative value. */
int semihost_write(int fd, const void *buf, size_t n);
/* Console output (stdout), the vm_config.write shape. */
void semihost_console(void *ud, const char *s, size_t n);
/* Stop QEMU with exit status st. Never returns. */
_Noreturn void semihost_exit(int st);
/* The command line (-append, or -semihosting-config arg=...): argv[0] is
** the kernel's name. Fills argv (at most max - 1 entries and a NULL) with
** pointers into buf; returns argc, or 0 if it does not fit. */
int semihost_args(char *buf, size_t size, char **argv, int max);

#endif
