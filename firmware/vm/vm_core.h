/*
** vm_core.h: the VM core's internal functions, by file (each name's
** prefix says which file owns it). Only vm_*.c and vm51_*.c include this.
** vm51/ reaches lfs/lc51_walk.h, the .lc walk its loader and string.dump
** share with the host tools, and lfs/lc51_code.h, the instruction set and
** the code check it shares with the LFS image check, through this header.
** Spec: docs/lfs51.md §2, §5.3-5.4. Twin: none. May call: plat,
** lfs/lc51_walk, lfs/lc51_code, libc.
*/
#ifndef VM_CORE_H
#define VM_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/vm/vm_obj.h"
#include "lfs/lc51_code.h"
#include "lfs/lc51_walk.h"

#define VM_NORETURN __attribute__((noreturn))

/* ---- vm_mem.c: the heap arena allocator -------------------------------- */

/* Take over the plat heap arena (all of it free). */
void vm_mem_init(void);
/* n bytes, 8-aligned. On failure a full collection and a retry (and with
** gc_stress a collection before every allocation); then "not enough
** memory" (VM_ERRMEM). L NULL: no collection, NULL on failure. */
void *vm_mem_alloc(vm_State *L, size_t n);
/* As vm_mem_alloc but NULL instead of the error. */
void *vm_mem_tryalloc(vm_State *L, size_t n);
/* Grow or shrink a block (contents kept); raises like vm_mem_alloc, the
** old block still valid. */
void *vm_mem_realloc(vm_State *L, void *p, size_t n);
void vm_mem_free(void *p);
void vm_mem_stats(vm_heapstats *st);
uint32_t vm_mem_used(void);

/* ---- vm_str.c: strings, numbers as text, messages ---------------------- */

/* The interned string: RAM table, then the LFS ROstrt, else a new RAM
** string (docs/lfs51.md §5.4). */
vm_string_t *vm_str_new(vm_State *L, const char *s, size_t l);
vm_string_t *vm_str_newz(vm_State *L, const char *s);
/* An unlinked string block of len chars to fill, then intern it (which
** frees it if an equal string exists). Nothing may allocate between. */
vm_string_t *vm_str_buffer(vm_State *L, size_t len);
vm_string_t *vm_str_intern(vm_State *L, vm_string_t *ts);
void vm_str_fix(vm_string_t *ts);
void vm_str_init(vm_State *L);
/* Resize the RAM table (never raises; a failed grow is skipped). */
void vm_str_resize(vm_State *L, uint32_t size);
/* Free the strings the collector did not mark; the count of survivors. */
void vm_str_sweep(vm_State *L, int all);
/* Text to number as lua_str2number + luaO_str2d (int VM: strtol rules). */
int vm_str_tonum(int integral, const char *s, double *out);
/* "%.14g" or "%d"; buf >= 32 bytes; returns the length. */
int vm_str_fromnum(int integral, double n, char *buf);
/* A number at o becomes a string in place; 0 if o is neither. */
int vm_str_tostring(vm_State *L, vm_tvalue_t *o);
/* Push a formatted string (lua_pushvfstring's subset). */
const char *vm_str_vpush(vm_State *L, const char *fmt, va_list ap);
const char *vm_str_push(vm_State *L, const char *fmt, ...);
/* luaO_chunkid: short_src of a source name. */
void vm_str_chunkid(char *out, const char *source, size_t bufflen);

/* ---- vm_tab.c: tables -------------------------------------------------- */

extern const vm_tvalue_t vm_nilobject;
extern plat_ref_t vm_tab_dummy;     /* &g->dummynode, set by vm_open */
vm_table_t *vm_tab_new(vm_State *L, int narray, int nhash);
void vm_tab_free(vm_table_t *t);
const vm_tvalue_t *vm_tab_get(vm_table_t *t, const vm_tvalue_t *key);
const vm_tvalue_t *vm_tab_getnum(vm_table_t *t, int key);
const vm_tvalue_t *vm_tab_getstr(vm_table_t *t, const vm_string_t *key);
/* The slot for key, created (nil) if absent; raises for nil/NaN keys.
** Clears the tag-method cache. key must be anchored (it may be stored
** after a collection). */
vm_tvalue_t *vm_tab_set(vm_State *L, vm_table_t *t, const vm_tvalue_t *key);
vm_tvalue_t *vm_tab_setnum(vm_State *L, vm_table_t *t, int key);
vm_tvalue_t *vm_tab_setstr(vm_State *L, vm_table_t *t, vm_string_t *key);
/* next(): key at k (a stack slot); writes key, value at k, k + 1. */
int vm_tab_next(vm_State *L, vm_table_t *t, vm_tvalue_t *k);
int vm_tab_getn(vm_table_t *t);
void vm_tab_resizearray(vm_State *L, vm_table_t *t, int nasize);
static inline vm_node_t *vm_tab_node(const vm_table_t *t)
{
    return VM_P(vm_node_t, t->node);
}
static inline vm_tvalue_t *vm_tab_array(const vm_table_t *t)
{
    return VM_P(vm_tvalue_t, t->array);
}
int vm_tab_sizenode(const vm_table_t *t);

/* ---- vm_func.c: Protos, closures, upvalues ----------------------------- */

vm_proto_t *vm_func_newproto(vm_State *L);
void vm_func_freeproto(vm_proto_t *p);
vm_closure_t *vm_func_newC(vm_State *L, int nup, plat_ref_t env);
vm_closure_t *vm_func_newL(vm_State *L, int nup, plat_ref_t env);
void vm_func_freeclosure(vm_closure_t *c);
vm_upval_t *vm_func_newupval(vm_State *L);
vm_upval_t *vm_func_findupval(vm_State *L, vm_tvalue_t *level);
void vm_func_close(vm_State *L, vm_tvalue_t *level);
void vm_func_freeupval(vm_upval_t *uv);
const char *vm_func_localname(const vm_proto_t *p, int n, int pc);
/* Constant i of p as a RAM TValue (either layout). */
void vm_func_kget(int integral, const vm_proto_t *p, int i, vm_tvalue_t *o);
/* The chars of constant i if it is a string, else NULL. */
const char *vm_func_kstr(int integral, const vm_proto_t *p, int i);

/* ---- vm_tm.c: metamethods and the generic operations ------------------- */

void vm_tm_init(vm_State *L);
const char *vm_tm_typename(uint32_t tt);
/* The metatable of o (Table or ROTable ref, by address), or 0. */
plat_ref_t vm_tm_metatable(vm_State *L, const vm_tvalue_t *o);
/* Event e of metatable mt; NULL if absent (cached for RAM tables). */
const vm_tvalue_t *vm_tm_get(vm_State *L, plat_ref_t mt, vm_tms_t e,
                             vm_tvalue_t *tmp);
/* Event e of o's metatable; a nil value if absent. */
const vm_tvalue_t *vm_tm_getbyobj(vm_State *L, const vm_tvalue_t *o,
                                  vm_tms_t e, vm_tvalue_t *tmp);
/* Raw get on a Table or ROTable value; tmp holds a converted ROTable
** value. */
const vm_tvalue_t *vm_tm_rawget(vm_State *L, const vm_tvalue_t *t,
                                const vm_tvalue_t *key, vm_tvalue_t *tmp);
void vm_tm_gettable(vm_State *L, const vm_tvalue_t *t, vm_tvalue_t *key,
                    vm_tvalue_t *val);
void vm_tm_settable(vm_State *L, const vm_tvalue_t *t, vm_tvalue_t *key,
                    vm_tvalue_t *val);
int vm_tm_rawequal(const vm_tvalue_t *a, const vm_tvalue_t *b);
int vm_tm_equal(vm_State *L, const vm_tvalue_t *a, const vm_tvalue_t *b);
int vm_tm_lessthan(vm_State *L, const vm_tvalue_t *a, const vm_tvalue_t *b);
int vm_tm_lessequal(vm_State *L, const vm_tvalue_t *a,
                    const vm_tvalue_t *b);
void vm_tm_concat(vm_State *L, int total, int last);
void vm_tm_arith(vm_State *L, vm_tvalue_t *ra, const vm_tvalue_t *rb,
                 const vm_tvalue_t *rc, vm_tms_t op);
const vm_tvalue_t *vm_tm_tonumber(vm_State *L, const vm_tvalue_t *o,
                                  vm_tvalue_t *n);
/* The integer VM's operations (NodeMCU luaconf.h, LUA_NUMBER_INTEGRAL). */
double vm_tm_intarith(vm_State *L, vm_tms_t op, double a, double b);
void vm_tm_objlen(vm_State *L, vm_tvalue_t *ra, const vm_tvalue_t *rb);

/* ---- vm_rot.c, vm_rot_host.c: ROTables and C function tokens ----------- */

/* The ROTable ref of a library array (host: its rom copy). */
plat_ref_t vm_rot_ref(vm_State *L, const vm_roentry *t);
const vm_roent_t *vm_rot_find(plat_ref_t t, const char *key, size_t len);
/* Entry e's value as a TValue (a string value is interned). */
void vm_rot_value(vm_State *L, const vm_roent_t *e, vm_tvalue_t *o);
/* A key lookup (string keys only; others are absent). */
int vm_rot_get(vm_State *L, plat_ref_t t, const vm_tvalue_t *key,
               vm_tvalue_t *o);
plat_ref_t vm_rot_metatable(plat_ref_t t);
int vm_rot_next(vm_State *L, plat_ref_t t, vm_tvalue_t *k);
uint32_t vm_rot_fntoken(vm_CFunction f);
vm_CFunction vm_rot_fn(uint32_t token);
uint32_t vm_rot_lightud(void *p);
void *vm_rot_lightptr(uint32_t token);
/* A new VM: forget earlier rom copies (host). */
void vm_rot_reset(void);

/* ---- vm_gc.c: the collector -------------------------------------------- */

/* Link a new RAM object (header filled by the caller) into its list. */
void vm_gc_link(vm_State *L, void *o, uint8_t tt);
/* From the allocator: collect without running finalizers. */
void vm_gc_emergency(vm_State *L);
/* At safe points: collect when over the threshold, run finalizers. */
void vm_gc_step(vm_State *L);
static inline void vm_gc_check(vm_State *L)
{
    vm_global_t *g = G(L);
    if (g->tmudata || vm_mem_used() >= g->threshold)
        vm_gc_step(L);
}
/* Give back a thread's unused stack and call-info space (in place). */
void vm_gc_shrinkstack(vm_State *L1);
void vm_gc_freeall(vm_State *L);
int vm_gc_control(vm_State *L, int what, int data);

/* ---- vm_do.c: calls, the stack, errors, coroutines --------------------- */

#define VM_PCRLUA   0
#define VM_PCRC     1
#define VM_PCRYIELD 2

typedef void (*vm_pfunc)(vm_State *L, void *ud);

VM_NORETURN void vm_do_throw(vm_State *L, int status);
int vm_do_rawrunprotected(vm_State *L, vm_pfunc f, void *ud);
int vm_do_pcall(vm_State *L, vm_pfunc f, void *ud, ptrdiff_t oldtop,
                ptrdiff_t ef);
void vm_do_call(vm_State *L, vm_tvalue_t *func, int nresults);
int vm_do_precall(vm_State *L, vm_tvalue_t *func, int nresults);
int vm_do_poscall(vm_State *L, vm_tvalue_t *firstResult);
void vm_do_growstack(vm_State *L, int n);
static inline void vm_do_checkstack(vm_State *L, int n)
{
    if ((int32_t)(L->stack_last - L->top) <=
        (int32_t)(n * sizeof(vm_tvalue_t)))
        vm_do_growstack(L, n);
}
/* 0 if the stack cannot get n free slots (nothing raised). */
int vm_do_trycheckstack(vm_State *L, int n);
void vm_do_reallocstack(vm_State *L, int newsize);
void vm_do_reallocci(vm_State *L, int newsize);
/* The next call-info entry, growing the vector when full. */
vm_callinfo_t *vm_do_growci(vm_State *L);
static inline vm_callinfo_t *vm_do_incci(vm_State *L)
{
    if (L->ci == L->end_ci)
        return vm_do_growci(L);
    L->ci += sizeof(vm_callinfo_t);
    return L_ci(L);
}
int vm_do_resume(vm_State *L, int nargs);
int vm_do_yield(vm_State *L, int nresults);
/* Load a chunk (binary, or source through the configured compiler) and
** push its closure; a status and a message otherwise. */
int vm_do_load(vm_State *L, const char *buf, size_t n, const char *name);

/* ---- vm_err.c: raising errors ------------------------------------------ */

VM_NORETURN void vm_err_run(vm_State *L, const char *fmt, ...);
VM_NORETURN void vm_err_msg(vm_State *L);
VM_NORETURN void vm_err_type(vm_State *L, const vm_tvalue_t *o,
                             const char *op);
VM_NORETURN void vm_err_arith(vm_State *L, const vm_tvalue_t *p1,
                              const vm_tvalue_t *p2);
VM_NORETURN void vm_err_concat(vm_State *L, const vm_tvalue_t *p1,
                               const vm_tvalue_t *p2);
VM_NORETURN void vm_err_order(vm_State *L, const vm_tvalue_t *p1,
                              const vm_tvalue_t *p2);
VM_NORETURN void vm_err_mem(vm_State *L);

/* ---- vm_dbg.c: debug information --------------------------------------- */

int vm_dbg_currentpc(vm_State *L, const vm_callinfo_t *ci);
/* "short_src:line: " of the running Lua function, if any, into buf. */
void vm_dbg_where(vm_State *L, const vm_callinfo_t *ci, char *buf,
                  size_t n);

/* ---- vm51/: the Lua 5.1 instruction set (the dialect's entry points) --- */

/* What a value in register stackpos of ci's function is ("local",
** "global", "field", "upvalue", "method") and its name, or NULL;
** vm51_dbg_funcname: the same for the function ci is running, from its
** caller's call instruction (vm51_dbg.c). */
const char *vm51_dbg_objname(vm_State *L, const vm_callinfo_t *ci,
                             int stackpos, const char **name);
const char *vm51_dbg_funcname(vm_State *L, const vm_callinfo_t *ci,
                              const char **name);

void vm51_execute(vm_State *L, int nexeccalls);
/* Undump target .lc bytes into a RAM Proto, pushed (anchored) on the
** stack as a VM_TPROTO value; raises VM_ERRSYNTAX "name: ... in
** precompiled chunk" for anything malformed. */
vm_proto_t *vm51_undump(vm_State *L, const uint8_t *buf, size_t n,
                        const char *name);

/* ---- vm_api.c ---------------------------------------------------------- */

/* The value at a stack index or pseudo-index (&vm_nilobject if none). */
vm_tvalue_t *vm_api_index(vm_State *L, int idx);

/* ---- vm_state.c: states and threads ------------------------------------ */

const vm_config *vm_state_cfg(void);
vm_State *vm_state_newthread(vm_State *L);
void vm_state_freethread(vm_State *L, vm_State *L1);

#endif
