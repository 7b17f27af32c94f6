/*
** lib_uart.c: the uart library of NodeMCU's Lua 5.1 firmware, the part a
** console needs, as the ROTable lib_uart_tab: write (strings, and numbers
** as bytes, to the console), on("data", [n | endchar], [fn], [run_input])
** (input in pieces to fn; with run_input 0 the interpreter does not see
** it), setup and getconfig (the numbers are kept, nothing else changes:
** the console is the host's), alt (no-op) and the parity/stop-bit
** constants. UART 0 and 1 both write to the console.
** Spec: NodeMCU 3.0 docs/modules/uart.md, app/modules/uart.c. Twin:
** lib_uart.h. May call: vm.h, libc.
*/
#include "firmware/lib/lib_uart.h"

#include <string.h>

#include "firmware/lib/lib.h"

#define PENDING_MAX 1024        /* the receive buffer                      */
#define NUARTS      2

static struct {
    int cb_ref;                 /* registry: the data callback, or NOREF  */
    int end_char;               /* piece ends after this byte, or -1      */
    size_t count;               /* ... or has this many bytes; 0 = any    */
    int run_input;              /* the interpreter sees the input too     */
    char pending[PENDING_MAX];
    size_t npending;
    struct { vm_Integer baud, bits, parity, stop; } cfg[NUARTS];
} u;

int lib_uart_hascallback(void)
{
    return u.cb_ref != VM_NOREF;
}

int lib_uart_runinput(void)
{
    return u.cb_ref == VM_NOREF || u.run_input;
}

void lib_uart_feed(const char *s, size_t n)
{
    if (n > PENDING_MAX - u.npending)
        n = PENDING_MAX - u.npending;
    memcpy(u.pending + u.npending, s, n);
    u.npending += n;
}

int lib_uart_pushdata(vm_State *L)
{
    size_t take = 0;
    if (u.cb_ref == VM_NOREF || u.npending == 0)
        return 0;
    if (u.end_char >= 0) {
        const char *e = memchr(u.pending, u.end_char, u.npending);
        if (e != NULL)
            take = (size_t)(e - u.pending) + 1;
        else if (u.npending == PENDING_MAX)
            take = u.npending;
    } else if (u.count == 0) {
        take = u.npending;
    } else if (u.npending >= u.count) {
        take = u.count;
    }
    if (take == 0)
        return 0;
    vm_rawgeti(L, VM_REGISTRYINDEX, u.cb_ref);
    vm_pushlstring(L, u.pending, take);
    memmove(u.pending, u.pending + take, u.npending - take);
    u.npending -= take;
    return 1;
}

static int check_id(vm_State *L)
{
    int id = vm_checkint(L, 1);
    vm_argcheck(L, id >= 0 && id < NUARTS, 1, "uart id is wrong");
    return id;
}

/* uart.write(id, data, ...) */
static int uart_write(vm_State *L)
{
    int n = vm_gettop(L);
    check_id(L);
    for (int i = 2; i <= n; i++) {
        if (vm_type(L, i) == VM_TNUMBER) {
            vm_Integer v = vm_tointeger(L, i);
            vm_argcheck(L, v >= 0 && v <= 255, i, "wrong arg range");
            char c = (char)v;
            vm_writestring(L, &c, 1);
        } else {
            size_t len;
            const char *s = vm_checklstring(L, i, &len);
            vm_writestring(L, s, len);
        }
    }
    return 0;
}

/* uart.on("data", [n | endchar], [fn], [run_input]) */
static int uart_on(vm_State *L)
{
    static const char *const events[] = { "data", NULL };
    vm_checkoption(L, 1, NULL, events);
    int fn = 0;
    if (u.cb_ref != VM_NOREF)
        vm_unref(L, VM_REGISTRYINDEX, u.cb_ref);
    u.cb_ref = VM_NOREF;
    u.end_char = -1;
    u.count = 0;
    u.run_input = 1;
    if (vm_type(L, 2) == VM_TNUMBER) {
        vm_Integer c = vm_tointeger(L, 2);
        vm_argcheck(L, c >= 0 && c <= 255, 2, "wrong arg range");
        u.count = (size_t)c;
        fn = 3;
    } else if (vm_type(L, 2) == VM_TSTRING) {
        size_t len;
        const char *s = vm_tolstring(L, 2, &len);
        vm_argcheck(L, len == 1, 2, "only one char allowed");
        u.end_char = (unsigned char)s[0];
        fn = 3;
    } else if (vm_type(L, 2) == VM_TFUNCTION) {
        fn = 2;
    }
    if (fn && vm_type(L, fn) == VM_TFUNCTION) {
        if (vm_type(L, fn + 1) == VM_TNUMBER)
            u.run_input = vm_tointeger(L, fn + 1) != 0;
        vm_pushvalue(L, fn);
        u.cb_ref = vm_ref(L, VM_REGISTRYINDEX);
    }
    u.npending = 0;
    return 0;
}

/* uart.setup(id, baud, databits, parity, stopbits[, echo]): the baud */
static int uart_setup(vm_State *L)
{
    int id = check_id(L);
    u.cfg[id].baud = vm_checkinteger(L, 2);
    u.cfg[id].bits = vm_optinteger(L, 3, 8);
    u.cfg[id].parity = vm_optinteger(L, 4, 0);
    u.cfg[id].stop = vm_optinteger(L, 5, 1);
    vm_pushinteger(L, u.cfg[id].baud);
    return 1;
}

/* uart.getconfig(id): baud, databits, parity, stopbits */
static int uart_getconfig(vm_State *L)
{
    int id = check_id(L);
    vm_pushinteger(L, u.cfg[id].baud);
    vm_pushinteger(L, u.cfg[id].bits);
    vm_pushinteger(L, u.cfg[id].parity);
    vm_pushinteger(L, u.cfg[id].stop);
    return 4;
}

static int uart_alt(vm_State *L)
{
    (void)L;
    return 0;
}

static const vm_roentry lib_uart_tab[] = {
    VM_RO_F("alt", uart_alt),
    VM_RO_F("getconfig", uart_getconfig),
    VM_RO_F("on", uart_on),
    VM_RO_F("setup", uart_setup),
    VM_RO_F("write", uart_write),
    VM_RO_N("STOPBITS_1", 1),
    VM_RO_N("STOPBITS_1_5", 2),
    VM_RO_N("STOPBITS_2", 3),
    VM_RO_N("PARITY_NONE", 0),
    VM_RO_N("PARITY_EVEN", 1),
    VM_RO_N("PARITY_ODD", 2),
    VM_RO_END
};

int lib_uart_open(vm_State *L)
{
    memset(&u, 0, sizeof u);
    u.cb_ref = VM_NOREF;
    u.end_char = -1;
    u.run_input = 1;
    for (int i = 0; i < NUARTS; i++) {
        u.cfg[i].baud = 115200;
        u.cfg[i].bits = 8;
        u.cfg[i].stop = 1;
    }
    vm_pushrotable(L, lib_uart_tab);
    vm_setglobal(L, "uart");
    return 0;
}
