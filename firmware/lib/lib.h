/*
** lib.h: the firmware's Lua libraries, as vm_open opens them (lib_openers,
** vm_config.libs). Each lib_<module>.c owns one library: its functions
** (static), its ROTable lib_<module>_tab (vm.h "ROTables") and an opener
** lib_<module>_open that vm_open calls once, in lib_openers' order, after
** the global table, the registry and the string table exist. An opener
** publishes the library (sets the global to the ROTable) and creates any
** RAM state it needs (package.loaded, the string metatable...). Openers
** return 0.
** Spec: docs/lfs51.md §8 (node.LFS and LFS); Lua 5.1 manual §5.
** May call: vm.h only (never the core's internals), plat, libc.
*/
#ifndef LIB_H
#define LIB_H

#include "firmware/vm/vm.h"

/* The firmware's libraries in the order vm_open opens them,
** NULL-terminated: what vm_config.libs points to (lib_openers.c). */
extern const vm_CFunction lib_openers[];

/* base: the global functions (print, pairs, pcall, tostring, ...), _G,
** _VERSION; they are RAM globals, not a ROTable. */
int lib_base_open(vm_State *L);
int lib_coroutine_open(vm_State *L);
int lib_string_open(vm_State *L);      /* also the string metatable */
int lib_table_open(vm_State *L);
int lib_math_open(vm_State *L);
int lib_os_open(vm_State *L);
int lib_debug_open(vm_State *L);
/* package: require, package.loaded/preload/loaders (preload, Lua files,
** LFS modules) as RAM tables. */
int lib_package_open(vm_State *L);
/* node: node.LFS (get, list, time, config), heap, ... and the global LFS
** table (docs/lfs51.md §8). */
int lib_node_open(vm_State *L);
/* file: NodeMCU's file module over the platform's SPIFFS (lib_file.h);
** with a file system it also takes over loadfile, dofile and require's
** file searcher. */
int lib_file_open(vm_State *L);
/* tmr: timer objects on the event loop's clock (lib_tmr.h). */
int lib_tmr_open(vm_State *L);
/* uart: console output and the data callback (lib_uart.h). */
int lib_uart_open(vm_State *L);
/* bit: 32-bit bitwise operations (bnot, band, lshift, set, isset, ...). */
extern const vm_roentry lib_bit_tab[];
/* encoder: base64 and hex (toBase64, fromBase64, toHex, fromHex). */
extern const vm_roentry lib_encoder_tab[];
/* struct: pack, unpack and size of C structs in strings. */
extern const vm_roentry lib_struct_tab[];
/* crypto: MD5/SHA1/SHA256 digests and HMACs of strings and files (the
** file library's SPIFFS), digest objects, mask, toHex, toBase64. */
extern const vm_roentry lib_crypto_tab[];
int lib_crypto_open(vm_State *L);
/* sjson: JSON encode/decode, the streaming encoder and decoder objects
** and sjson.NULL. */
extern const vm_roentry lib_sjson_tab[];
int lib_sjson_open(vm_State *L);

#endif
