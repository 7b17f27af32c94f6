/*
** lib_uart.h: the uart library's seam to the console the event loop
** runs: console input goes to a uart.on("data") callback when one is
** set, in the pieces it asked for (up to a terminator character, or n
** bytes), and to the Lua interpreter unless the callback said not to.
** One device per process: the state is process-wide, reset by
** lib_uart_open.
** Spec: NodeMCU 3.0 docs/modules/uart.md. Twin: lib_uart.c. May call:
** vm.h.
*/
#ifndef LIB_UART_H
#define LIB_UART_H

#include <stddef.h>

#include "firmware/vm/vm.h"

/* Whether a data callback is set (input goes to lib_uart_feed), and
** whether the interpreter gets the input too (uart.on's run_input). */
int lib_uart_hascallback(void);
int lib_uart_runinput(void);

/* Queue console input for the callback (bytes beyond 1 KiB pending are
** dropped, as the device's receive buffer drops them). */
void lib_uart_feed(const char *s, size_t n);

/* If a piece of queued input is complete, push the callback and the
** piece and return 1; the caller calls it with 1 argument, protected.
** 0: nothing pushed. */
int lib_uart_pushdata(vm_State *L);

#endif
