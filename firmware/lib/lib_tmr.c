/*
** lib_tmr.c: the tmr library of NodeMCU's Lua 5.1 firmware (3.0: timer
** objects only), as the ROTable lib_tmr_tab: create, now, time, delay,
** wdclr, softwd, ccount and ALARM_SINGLE/SEMI/AUTO; a timer object
** (userdata with the ROTable metatable "tmr.timer") has alarm, register,
** start, stop, unregister, state and interval, with NodeMCU's results
** (start/stop say whether they changed anything, state is nil for an
** unregistered timer, else running and mode).
**
** Modes, as tmr.c keeps them: OFF (never registered, or unregistered),
** else SINGLE/SEMI/AUTO with an idle flag. A running timer is in the armed
** list (host pointers to the userdata, which the registry reference
** self_ref keeps alive while it runs) with its deadline in microseconds;
** the event loop asks for due timers (lib_tmr.h). Ties fire in the order
** the timers were started. An AUTO timer's next deadline is the previous
** one plus the interval, so it does not drift.
** Spec: NodeMCU 3.0 docs/modules/tmr.md, app/modules/tmr.c. Twin:
** lib_tmr.h. May call: vm.h, libc.
*/
#include "firmware/lib/lib_tmr.h"

#include <stdlib.h>
#include <string.h>

#include "firmware/lib/lib.h"

#define MODE_SINGLE 0
#define MODE_AUTO   1
#define MODE_SEMI   2
#define MODE_OFF    3
#define IDLE        0x80
#define MAX_TIMEOUT 6870947u    /* ms: (2^32 - 1) / 625, NodeMCU's limit */

typedef struct timer {
    uint64_t deadline;      /* microseconds since boot, while running     */
    uint64_t seq;           /* start order, for ties                      */
    uint32_t interval;      /* ms                                         */
    int cb_ref;             /* registry: the callback, or VM_NOREF        */
    int self_ref;           /* registry: this object while it runs        */
    uint8_t mode;           /* MODE_* | IDLE                              */
} timer_t_;

static lib_tmr_clock_t clock_;
static timer_t_ **armed;    /* running timers, unordered                  */
static size_t narmed, carmed;
static uint64_t seq;

void lib_tmr_setclock(const lib_tmr_clock_t *c)
{
    if (c != NULL)
        clock_ = *c;
    else
        memset(&clock_, 0, sizeof clock_);
}

static uint64_t now_us(void)
{
    return clock_.now ? clock_.now(clock_.ctx) : 0;
}

/* ---- the armed list ----------------------------------------------------- */

static void disarm(timer_t_ *t)
{
    for (size_t i = 0; i < narmed; i++)
        if (armed[i] == t) {
            armed[i] = armed[--narmed];
            return;
        }
}

static int arm(timer_t_ *t, uint64_t deadline)
{
    disarm(t);
    if (narmed == carmed) {
        size_t c = carmed ? 2 * carmed : 16;
        timer_t_ **a = realloc(armed, c * sizeof *a);
        if (a == NULL)
            return -1;
        armed = a;
        carmed = c;
    }
    t->deadline = deadline;
    t->seq = seq++;
    armed[narmed++] = t;
    return 0;
}

static timer_t_ *earliest(void)
{
    timer_t_ *best = NULL;
    for (size_t i = 0; i < narmed; i++) {
        timer_t_ *t = armed[i];
        if (best == NULL || t->deadline < best->deadline ||
            (t->deadline == best->deadline && t->seq < best->seq))
            best = t;
    }
    return best;
}

int lib_tmr_next(uint64_t *at)
{
    timer_t_ *t = earliest();
    if (t == NULL)
        return 0;
    *at = t->deadline;
    return 1;
}

/* ---- timer objects ------------------------------------------------------ */

static int t_gc(vm_State *L);
static int t_alarm(vm_State *L);
static int t_register(vm_State *L);
static int t_start(vm_State *L);
static int t_stop(vm_State *L);
static int t_unregister(vm_State *L);
static int t_state(vm_State *L);
static int t_interval(vm_State *L);

static const vm_roentry t_methods[] = {
    VM_RO_F("alarm", t_alarm),
    VM_RO_F("interval", t_interval),
    VM_RO_F("register", t_register),
    VM_RO_F("start", t_start),
    VM_RO_F("state", t_state),
    VM_RO_F("stop", t_stop),
    VM_RO_F("unregister", t_unregister),
    VM_RO_END
};

static const vm_roentry t_meta[] = {
    VM_RO_T("__index", t_methods),
    VM_RO_F("__gc", t_gc),
    VM_RO_END
};

static timer_t_ *to_timer(vm_State *L, int idx)
{
    if (vm_type(L, idx) != VM_TUSERDATA || !vm_getmetatable(L, idx))
        return NULL;
    vm_pushrotable(L, t_meta);
    int same = vm_rawequal(L, -1, -2);
    vm_pop(L, 2);
    return same ? vm_touserdata(L, idx) : NULL;
}

static timer_t_ *check_timer(vm_State *L)
{
    timer_t_ *t = to_timer(L, 1);
    if (t == NULL)
        vm_typerror(L, 1, "tmr.timer");
    return t;
}

static int running(const timer_t_ *t)
{
    return t->mode != MODE_OFF && !(t->mode & IDLE);
}

static void drop_self(vm_State *L, timer_t_ *t)
{
    if (t->self_ref != VM_NOREF && t->self_ref != VM_REFNIL)
        vm_unref(L, VM_REGISTRYINDEX, t->self_ref);
    t->self_ref = VM_NOREF;
}

static int t_gc(vm_State *L)
{
    timer_t_ *t = to_timer(L, 1);
    if (t != NULL) {
        disarm(t);
        if (t->cb_ref != VM_NOREF)
            vm_unref(L, VM_REGISTRYINDEX, t->cb_ref);
        t->cb_ref = VM_NOREF;
    }
    return 0;
}

/* tmr.create() */
static int tmr_create(vm_State *L)
{
    timer_t_ *t = vm_newuserdata(L, sizeof *t);
    memset(t, 0, sizeof *t);
    t->cb_ref = VM_NOREF;
    t->self_ref = VM_NOREF;
    t->mode = MODE_OFF;
    vm_pushrotable(L, t_meta);
    vm_setmetatable(L, -2);
    return 1;
}

static uint32_t check_interval(vm_State *L, int arg)
{
    vm_Number v = vm_checknumber(L, arg);
    vm_argcheck(L, v > 0 && v <= MAX_TIMEOUT, arg, "wrong arg range");
    return (uint32_t)v;
}

/* t:register(interval_ms, mode, fn) */
static int t_register(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    uint32_t interval = check_interval(L, 2);
    int mode = vm_checkint(L, 3);
    vm_argcheck(L, mode == MODE_SINGLE || mode == MODE_SEMI ||
                   mode == MODE_AUTO, 3, "wrong arg type");
    vm_argcheck(L, vm_type(L, 4) == VM_TFUNCTION, 4, "must be function");
    disarm(t);
    drop_self(L, t);
    vm_pushvalue(L, 4);
    int ref = vm_ref(L, VM_REGISTRYINDEX);
    if (t->cb_ref != VM_NOREF)
        vm_unref(L, VM_REGISTRYINDEX, t->cb_ref);
    t->cb_ref = ref;
    t->interval = interval;
    t->mode = (uint8_t)(mode | IDLE);
    return 0;
}

static int start(vm_State *L, timer_t_ *t, int restart)
{
    if (t->mode == MODE_OFF || (!(t->mode & IDLE) && !restart))
        return 0;
    if (t->self_ref == VM_NOREF) {
        vm_pushvalue(L, 1);
        t->self_ref = vm_ref(L, VM_REGISTRYINDEX);
    }
    if (arm(t, now_us() + (uint64_t)t->interval * 1000) < 0)
        return vm_errorf(L, "not enough memory");
    t->mode &= (uint8_t)~IDLE;
    return 1;
}

/* t:start([restart]): true if it started */
static int t_start(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    vm_pushboolean(L, start(L, t, vm_toboolean(L, 2)));
    return 1;
}

/* t:alarm(interval_ms, mode, fn): register and start */
static int t_alarm(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    vm_settop(L, 4);
    t_register(L);
    vm_pushboolean(L, start(L, t, 0));
    return 1;
}

/* t:stop(): true if it was running */
static int t_stop(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    int was = running(t);
    if (was) {
        disarm(t);
        t->mode |= IDLE;
        drop_self(L, t);
    }
    vm_pushboolean(L, was);
    return 1;
}

static int t_unregister(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    disarm(t);
    drop_self(L, t);
    if (t->cb_ref != VM_NOREF)
        vm_unref(L, VM_REGISTRYINDEX, t->cb_ref);
    t->cb_ref = VM_NOREF;
    t->mode = MODE_OFF;
    return 0;
}

/* t:state(): running, mode; nil when not registered */
static int t_state(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    if (t->mode == MODE_OFF) {
        vm_pushnil(L);
        return 1;
    }
    vm_pushboolean(L, running(t));
    vm_pushinteger(L, t->mode & (uint8_t)~IDLE);
    return 2;
}

/* t:interval(ms): a running timer starts over with the new interval */
static int t_interval(vm_State *L)
{
    timer_t_ *t = check_timer(L);
    uint32_t interval = check_interval(L, 2);
    if (t->mode != MODE_OFF) {
        t->interval = interval;
        if (running(t) && arm(t, now_us() + (uint64_t)interval * 1000) < 0)
            return vm_errorf(L, "not enough memory");
    }
    return 0;
}

int lib_tmr_pushdue(vm_State *L, uint64_t now)
{
    timer_t_ *t = earliest();
    if (t == NULL || t->deadline > now)
        return 0;
    int self = t->self_ref;
    vm_rawgeti(L, VM_REGISTRYINDEX, t->cb_ref);        /* the callback */
    vm_rawgeti(L, VM_REGISTRYINDEX, self);             /* the timer    */
    switch (t->mode) {
    case MODE_AUTO:
        t->deadline += (uint64_t)t->interval * 1000;
        t->seq = seq++;
        break;
    case MODE_SEMI:
        disarm(t);
        t->mode |= IDLE;
        drop_self(L, t);
        break;
    default:                                            /* SINGLE      */
        disarm(t);
        drop_self(L, t);
        if (t->cb_ref != VM_NOREF)
            vm_unref(L, VM_REGISTRYINDEX, t->cb_ref);
        t->cb_ref = VM_NOREF;
        t->mode = MODE_OFF;
        break;
    }
    return 1;
}

/* ---- the module functions ----------------------------------------------- */

/* tmr.now(): microseconds since boot, 31 bits as NodeMCU returns them. */
static int tmr_now(vm_State *L)
{
    vm_pushnumber(L, (vm_Number)(now_us() & 0x7FFFFFFFu));
    return 1;
}

/* tmr.time(): seconds since boot. */
static int tmr_time(vm_State *L)
{
    vm_pushnumber(L, (vm_Number)(now_us() / 1000000u));
    return 1;
}

/* tmr.delay(us): busy wait; timers do not fire meanwhile. */
static int tmr_delay(vm_State *L)
{
    vm_Number us = vm_checknumber(L, 1);
    if (us > 0 && clock_.delay != NULL)
        clock_.delay(clock_.ctx, us > 0xFFFFFFFFu ? 0xFFFFFFFFu
                                                 : (uint32_t)us);
    return 0;
}

/* tmr.ccount(): the 80 MHz cycle counter. */
static int tmr_ccount(vm_State *L)
{
    vm_pushnumber(L, (vm_Number)(uint32_t)(now_us() * 80u));
    return 1;
}

static int tmr_nothing(vm_State *L)
{
    (void)L;
    return 0;
}

static const vm_roentry lib_tmr_tab[] = {
    VM_RO_F("ccount", tmr_ccount),
    VM_RO_F("create", tmr_create),
    VM_RO_F("delay", tmr_delay),
    VM_RO_F("now", tmr_now),
    VM_RO_F("softwd", tmr_nothing),
    VM_RO_F("time", tmr_time),
    VM_RO_F("wdclr", tmr_nothing),
    VM_RO_N("ALARM_SINGLE", MODE_SINGLE),
    VM_RO_N("ALARM_SEMI", MODE_SEMI),
    VM_RO_N("ALARM_AUTO", MODE_AUTO),
    VM_RO_END
};

int lib_tmr_open(vm_State *L)
{
    narmed = 0;
    seq = 0;
    vm_pushrotable(L, lib_tmr_tab);
    vm_setglobal(L, "tmr");
    return 0;
}
