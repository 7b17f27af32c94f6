/*
** lib_os.c: the os library of the firmware VM: clock, date, difftime,
** getenv, time (Lua 5.1's, with lua5.1's messages) and the ROTable
** lib_os_tab. Times are the C library's: time_t seconds, local time as
** the host's TZ says (UTC on the target). os.time(t) normalises t as
** mktime does. On the target (__XTENSA__: qemu with picolibc) there is no
** environment, so getenv returns nil, and time() may be 0.
** The rest of 5.1's os (execute, exit, remove, rename, setlocale,
** tmpname) has no meaning on the device and is not provided.
** Spec: Lua 5.1 manual §5.8 (operating system facilities); lib.h.
** May call: vm.h, libc.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/lib/lib.h"

/* A number as lua5.1 on x86-64 converts it to time_t or lua_Integer:
** truncated, and 0x8000... (the "integer indefinite") when out of range
** or NaN. Keeps huge arguments well defined here. */
static long long num2ll(double d)
{
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return (long long)d;
    return (long long)(-9223372036854775807LL - 1);
}

/* The int that 5.1's (int)lua_tointeger gives: the low 32 bits. */
static int wrapint(long long v)
{
    return (int)(unsigned int)(unsigned long long)v;
}

/* a + b with int wrap-around, as the x86 build computes tm fields. */
static int addwrap(int a, int b)
{
    return (int)((unsigned int)a + (unsigned int)b);
}

static int os_clock(vm_State *L)
{
    vm_pushnumber(L, (vm_Number)clock() / (vm_Number)CLOCKS_PER_SEC);
    return 1;
}

static int os_getenv(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
#ifndef __XTENSA__
    vm_pushstring(L, getenv(name));  /* NULL pushes nil */
#else
    (void)name;
    vm_pushnil(L);
#endif
    return 1;
}

static int os_difftime(vm_State *L)
{
    time_t t1 = (time_t)num2ll(vm_checknumber(L, 1));
    time_t t0 = (time_t)num2ll(vm_optnumber(L, 2, 0));
    vm_pushnumber(L, difftime(t1, t0));
    return 1;
}

/* ---- date tables --------------------------------------------------------- */

static void setfield(vm_State *L, const char *key, int value)
{
    vm_pushinteger(L, value);
    vm_setfield(L, -2, key);
}

static void setboolfield(vm_State *L, const char *key, int value)
{
    if (value < 0)                   /* unknown: leave the field out */
        return;
    vm_pushboolean(L, value);
    vm_setfield(L, -2, key);
}

/* Field key of the table on top: an integer, or d if absent (d < 0: the
** field is required). */
static int getfield(vm_State *L, const char *key, int d)
{
    int r;
    vm_getfield(L, -1, key);
    if (vm_isnumber(L, -1)) {
        r = wrapint(num2ll(vm_tonumber(L, -1)));
    } else {
        if (d < 0)
            return vm_errorf(L, "field '%s' missing in date table", key);
        r = d;
    }
    vm_pop(L, 1);
    return r;
}

/* isdst: -1 (unknown) if nil, else its truth. */
static int getboolfield(vm_State *L, const char *key)
{
    int r;
    vm_getfield(L, -1, key);
    r = vm_type(L, -1) == VM_TNIL ? -1 : vm_toboolean(L, -1);
    vm_pop(L, 1);
    return r;
}

static int os_date(vm_State *L)
{
    const char *s = vm_optstring(L, 1, "%c");
    time_t t;
    if (vm_type(L, 2) <= VM_TNIL)
        t = time(NULL);
    else
        t = (time_t)num2ll(vm_checknumber(L, 2));
    struct tm *stm;
    if (*s == '!') {
        stm = gmtime(&t);
        s++;
    } else {
        stm = localtime(&t);
    }
    if (stm == NULL) {               /* a date the C library cannot show */
        vm_pushnil(L);
    } else if (strcmp(s, "*t") == 0) {
        vm_createtable(L, 0, 9);
        setfield(L, "sec", stm->tm_sec);
        setfield(L, "min", stm->tm_min);
        setfield(L, "hour", stm->tm_hour);
        setfield(L, "day", stm->tm_mday);
        setfield(L, "month", stm->tm_mon + 1);
        setfield(L, "year", stm->tm_year + 1900);
        setfield(L, "wday", stm->tm_wday + 1);
        setfield(L, "yday", stm->tm_yday + 1);
        setboolfield(L, "isdst", stm->tm_isdst);
    } else {
        char conv[3] = { '%', 0, 0 };
        vm_Buffer b;
        vm_buffinit(L, &b);
        for (; *s; s++) {
            if (*s != '%' || s[1] == '\0') {
                vm_addchar(&b, *s);
            } else {
                /* one conversion at a time, straight into the buffer
                ** (VM_BUFFERSIZE bytes: more than any strftime item) */
                char *out = vm_prepbuffer(&b);
                conv[1] = *++s;
                vm_addsize(&b, strftime(out, VM_BUFFERSIZE, conv, stm));
            }
        }
        vm_pushresult(&b);
    }
    return 1;
}

static int os_time(vm_State *L)
{
    time_t t;
    if (vm_type(L, 1) <= VM_TNIL) {
        t = time(NULL);
    } else {
        struct tm ts;
        memset(&ts, 0, sizeof ts);
        vm_checktype(L, 1, VM_TTABLE);
        vm_settop(L, 1);
        ts.tm_sec = getfield(L, "sec", 0);
        ts.tm_min = getfield(L, "min", 0);
        ts.tm_hour = getfield(L, "hour", 12);
        ts.tm_mday = getfield(L, "day", -1);
        ts.tm_mon = addwrap(getfield(L, "month", -1), -1);
        ts.tm_year = addwrap(getfield(L, "year", -1), -1900);
        ts.tm_isdst = getboolfield(L, "isdst");
        t = mktime(&ts);
    }
    if (t == (time_t)-1)
        vm_pushnil(L);
    else
        vm_pushnumber(L, (vm_Number)t);
    return 1;
}

static const vm_roentry lib_os_tab[] = {
    VM_RO_F("clock", os_clock),
    VM_RO_F("date", os_date),
    VM_RO_F("difftime", os_difftime),
    VM_RO_F("getenv", os_getenv),
    VM_RO_F("time", os_time),
    VM_RO_END
};

int lib_os_open(vm_State *L)
{
    vm_pushrotable(L, lib_os_tab);
    vm_setglobal(L, "os");
    return 0;
}
