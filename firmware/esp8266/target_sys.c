/*
** target_sys.c: the system calls picolibc expects from the target, for
** what the Lua libraries use: time (os.time, os.clock through time() and
** clock()) from the CPU's cycle counter, and the process calls behind
** abort() and raise(). There is no real-time clock: time() counts seconds
** since reset. CCOUNT runs at TARGET_CCOUNT_HZ: 40 MHz under QEMU (its
** lx106 core's clock_freq_khz; QEMU derives CCOUNT from virtual time),
** 80 MHz on a chip (build with -DTARGET_CCOUNT_HZ=80000000).
** Twin: the host's libc. May call: semihost.
*/
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include "firmware/esp8266/semihost.h"

#ifndef TARGET_CCOUNT_HZ
#define TARGET_CCOUNT_HZ 40000000u
#endif

int getpid(void);
int kill(int pid, int sig);

/* Cycles since reset, extended to 64 bits: right as long as it is read
** at least once per wrap (107 s at 40 MHz); every clock read does. */
static uint64_t cycles(void)
{
    static uint32_t last, high;
    uint32_t now;
    __asm__ volatile("rsr %0, ccount" : "=r"(now));
    if (now < last)
        high++;
    last = now;
    return (uint64_t)high << 32 | now;
}

static uint64_t micros(void)
{
    return cycles() / (TARGET_CCOUNT_HZ / 1000000u);
}

clock_t times(struct tms *t)
{
    clock_t c = (clock_t)(micros() * CLOCKS_PER_SEC / 1000000u);
    if (t) {
        t->tms_utime = c;
        t->tms_stime = 0;
        t->tms_cutime = 0;
        t->tms_cstime = 0;
    }
    return c;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    uint64_t us = micros();
    if (tv) {
        tv->tv_sec = (time_t)(us / 1000000u);
        tv->tv_usec = (suseconds_t)(us % 1000000u);
    }
    return 0;
}

int getpid(void)
{
    return 1;
}

/* raise() and abort() end here: the firmware stops, as the chip resets. */
int kill(int pid, int sig)
{
    (void)pid;
    static const char msg[] = "target: killed by a signal (abort)\n";
    semihost_write(2, msg, sizeof msg - 1);
    semihost_exit(sig == SIGABRT ? 3 : 128 + sig);
}
