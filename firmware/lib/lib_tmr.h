/*
** lib_tmr.h: the tmr library's seams to what runs the VM (the host
** simulator's event loop, later the target's): the clock timers and
** tmr.now() read, tmr.delay()'s busy wait, and the firing of due timers,
** which the event loop does between callbacks (a timer's callback never
** runs inside another callback, as on the device). One device per
** process: the state is process-wide and reset by lib_tmr_open.
** Spec: NodeMCU 3.0 docs/modules/tmr.md. Twin: lib_tmr.c. May call: vm.h.
*/
#ifndef LIB_TMR_H
#define LIB_TMR_H

#include <stdint.h>

#include "firmware/vm/vm.h"

typedef struct lib_tmr_clock {
    /* Microseconds since boot. NULL: always 0 (no clock; timers armed
    ** but never due). */
    uint64_t (*now)(void *ctx);
    /* tmr.delay(us): block the device for us microseconds. NULL: return
    ** at once. */
    void (*delay)(void *ctx, uint32_t us);
    void *ctx;
} lib_tmr_clock_t;

/* Install the clock (copied); NULL restores the default. */
void lib_tmr_setclock(const lib_tmr_clock_t *c);

/* The earliest deadline (microseconds since boot) of a running timer: 1
** and *at, or 0 when none runs. */
int lib_tmr_next(uint64_t *at);

/* If a running timer is due at `now` (the earliest, ties in the order
** they were started): update it as the device does when it fires (a
** SINGLE timer is unregistered, a SEMI one stops, an AUTO one is due again
** one interval after this deadline), push its callback and the timer
** object, and return 1; the caller calls the callback with 1 argument,
** protected. 0: nothing due, nothing pushed. */
int lib_tmr_pushdue(vm_State *L, uint64_t now);

#endif
