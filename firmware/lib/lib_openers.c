/*
** lib_openers.c: the firmware's set of libraries, in the order vm_open
** opens them (vm_config.libs): base first (the globals the others may
** use), package after the modules it can find, node with the global LFS,
** then the device's file, tmr and uart, NodeMCU's bit, encoder and
** struct, which need nothing else, then crypto and sjson.
** Docs: docs/architecture.md (the VM core knows no library). Twin: none.
** May call: lib.h.
*/
#include "firmware/lib/lib.h"

#include <stddef.h>

const vm_CFunction lib_openers[] = {
    lib_base_open, lib_coroutine_open, lib_string_open, lib_table_open,
    lib_math_open, lib_os_open, lib_debug_open, lib_package_open,
    lib_node_open, lib_file_open, lib_tmr_open, lib_uart_open, lib_bit_open,
    lib_encoder_open, lib_struct_open, lib_crypto_open, lib_sjson_open, NULL
};
