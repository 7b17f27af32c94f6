/*
** lib_openers.c: the firmware's set of libraries, in the order vm_open
** opens them (vm_config.libs): base first (the globals the others may
** use), package after the modules it can find, node with the global LFS,
** then the device's file, tmr and uart, then crypto and sjson (their
** object metatables), and last the ROM globals.
**
** ROM globals: NodeMCU's optional modules (bit, encoder, struct, crypto,
** sjson) are not RAM globals. The globals table gets a ROTable metatable
** whose __index is a ROTable naming them, as NodeMCU finds its libraries
** in ROM rather than in _G: `bit` and require("bit") work, and the heap
** after start-up is what it was without them (a RAM global each would
** grow the globals table's hash part). A program that replaces _G's
** metatable must chain it to getmetatable(_G) to keep them.
** Docs: docs/architecture.md §3 (ROTables). Twin: none. May call: lib.h.
*/
#include "firmware/lib/lib.h"

#include <stddef.h>

static const vm_roentry rom_globals[] = {
    VM_RO_T("bit", lib_bit_tab),
    VM_RO_T("crypto", lib_crypto_tab),
    VM_RO_T("encoder", lib_encoder_tab),
    VM_RO_T("sjson", lib_sjson_tab),
    VM_RO_T("struct", lib_struct_tab),
    VM_RO_END
};

static const vm_roentry rom_globals_meta[] = {
    VM_RO_T("__index", rom_globals),
    VM_RO_END
};

static int open_rom_globals(vm_State *L)
{
    vm_pushrotable(L, rom_globals_meta);
    vm_setmetatable(L, VM_GLOBALSINDEX);
    return 0;
}

const vm_CFunction lib_openers[] = {
    lib_base_open, lib_coroutine_open, lib_string_open, lib_table_open,
    lib_math_open, lib_os_open, lib_debug_open, lib_package_open,
    lib_node_open, lib_file_open, lib_tmr_open, lib_uart_open,
    lib_crypto_open, lib_sjson_open, open_rom_globals, NULL
};
