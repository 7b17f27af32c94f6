/*
** vm.h: the firmware VM's C API, the one contract between the VM core
** (vm_*.c, vm51_*.c) and everything that uses it: the libraries
** (lib_*.c), the host simulator and luac.cross -F. A stack API shaped like
** Lua 5.1's lua.h + lauxlib.h, with the vm_ prefix so Debian's liblua5.1
** can share the process (no lua_ or luaL_ symbol here or in the core).
** Libraries see values only through this header; object layouts are the
** core's business (vm_obj.h).
** Spec: docs/lfs51.md §2 (target data model), §5.3-5.4 (LFS at run time),
** docs/architecture.md §3 (32-bit target addresses). May call: plat, ldr51,
** libc.
**
** Numbers. One process runs either a float VM (double) or an integer VM
** (int32, NodeMCU's LUA_NUMBER_INTEGRAL), chosen by vm_config.integral at
** vm_open, so it matches the LFS image's signature. vm_Number is double in
** both; in the integer VM vm_pushnumber truncates toward zero and every
** number the API returns is an integer value.
*/
#ifndef VM_H
#define VM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vm_State vm_State;           /* a thread; the C API handle */
typedef int (*vm_CFunction)(vm_State *L);
typedef double vm_Number;
typedef int32_t vm_Integer;

/* ---- types (docs/lfs51.md §2.2 base tags) -------------------------------- */
#define VM_TNONE          (-1)
#define VM_TNIL           0
#define VM_TBOOLEAN       1
#define VM_TLIGHTUSERDATA 2
#define VM_TNUMBER        3
#define VM_TSTRING        4
#define VM_TTABLE         5   /* also ROTables: vm_type never says "romtable" */
#define VM_TFUNCTION      6   /* also light C functions                       */
#define VM_TUSERDATA      7
#define VM_TTHREAD        8

/* Status codes (Lua 5.1's values). */
#define VM_OK        0
#define VM_YIELD     1
#define VM_ERRRUN    2
#define VM_ERRSYNTAX 3
#define VM_ERRMEM    4
#define VM_ERRERR    5
#define VM_ERRFILE   6   /* vm_loadfile: cannot open/read */

#define VM_MULTRET    (-1)
#define VM_REGISTRYINDEX (-10000)
#define VM_ENVIRONINDEX  (-10001)
#define VM_GLOBALSINDEX  (-10002)
#define vm_upvalueindex(i) (VM_GLOBALSINDEX - (i))
#define VM_MINSTACK   20
#define VM_NOREF      (-2)
#define VM_REFNIL     (-1)

/* collectgarbage / vm_gc options (5.1 numbering). */
#define VM_GCSTOP       0
#define VM_GCRESTART    1
#define VM_GCCOLLECT    2
#define VM_GCCOUNT      3   /* KiB in use                         */
#define VM_GCCOUNTB     4   /* remainder bytes                    */
#define VM_GCSTEP       5
#define VM_GCSETPAUSE   6
#define VM_GCSETSTEPMUL 7

/* ---- ROTables: libraries as constant data (docs/lfs51.md §2.8) --------------
** A library is a constant array of entries ended by VM_RO_END. The core
** turns it into a ROTable value: a read-only table searched without
** allocation, never marked, swept or written by the GC, usable as a
** metatable (an entry made with VM_RO_META names the table's own
** metatable). Metamethod keys ("__index"...) come first. Keys are at most
** 32 bytes. Values: light C functions, numbers, strings, booleans and
** other ROTables. */
typedef struct vm_roentry {
    const char *key;             /* NULL ends the array                   */
    int kind;                    /* VM_RO_*                               */
    union {
        vm_CFunction f;
        vm_Number n;
        const char *s;
        int b;
        const struct vm_roentry *t;
    } u;
} vm_roentry;

enum { VM_RO_NONE, VM_RO_FUNC, VM_RO_NUM, VM_RO_STR, VM_RO_BOOL, VM_RO_TAB,
       VM_RO_META };

#define VM_RO_F(k, fn) { (k), VM_RO_FUNC, { .f = (fn) } }
#define VM_RO_N(k, num) { (k), VM_RO_NUM, { .n = (num) } }
#define VM_RO_S(k, str) { (k), VM_RO_STR, { .s = (str) } }
#define VM_RO_B(k, v) { (k), VM_RO_BOOL, { .b = (v) } }
#define VM_RO_T(k, tab) { (k), VM_RO_TAB, { .t = (tab) } }
#define VM_RO_M(tab) { "", VM_RO_META, { .t = (tab) } }
#define VM_RO_END { NULL, VM_RO_NONE, { .f = NULL } }

/* Push a ROTable value for a constant entry array (same array, same
** value: rawequal). */
void vm_pushrotable(vm_State *L, const vm_roentry *t);
/* Push a C function as a light function (no upvalues, no allocation). */
void vm_pushlightfunction(vm_State *L, vm_CFunction f);

/* ---- the state ---------------------------------------------------------- */

/* Compiles Lua 5.1 source to target .lc bytes (NodeMCU .lc format of the
** VM's number type, lc51), for load/loadstring/dofile/require on the
** host. Returns 0 and sets *lc, *lclen (malloc'd, the VM frees them), or
** nonzero and sets *err (malloc'd message "chunk:line: msg", freed by the
** VM). NULL in vm_config: loading source fails with a clear message. */
typedef int (*vm_compiler)(void *ud, const char *src, size_t len,
                           const char *chunkname, int integral,
                           unsigned char **lc, size_t *lclen, char **err);

typedef struct vm_config {
    int integral;            /* 0 float (double), 1 integer (int32)         */
    int gc_stress;           /* 1: a full collection at every allocation    */
    /* The heap is the plat heap arena (plat_heap_base/size); plat_init
    ** must have run. */
    void (*write)(void *ud, const char *s, size_t n);  /* console output;
                                NULL = stdout on the host                 */
    void *write_ud;
    vm_compiler compile;     /* host only; NULL = no source loading         */
    void *compile_ud;
    /* The libraries: openers vm_open calls in order, NULL-terminated (the
    ** firmware's set is lib.h's lib_openers); NULL = a bare VM. */
    const vm_CFunction *libs;
    /* LFS: the mapped image, checked by ldr51_boot; 0 = no LFS. */
    uint32_t lfs_mapped;     /* target address of the image header          */
    uint32_t lfs_base;       /* partition flash offset (node.LFS.config)    */
    uint32_t lfs_size;       /* partition size                               */
} vm_config;

/* Create a VM over the plat heap arena and open the libraries cfg->libs
** names (lib.h's lib_openers: base, string, table, math, os, coroutine,
** debug, package, node with the global LFS table, file, tmr, uart, bit,
** encoder, struct). NULL if the arena cannot hold the state. */
vm_State *vm_open(const vm_config *cfg);
void vm_close(vm_State *L);

/* Heap figures of the arena (bytes). */
typedef struct vm_heapstats {
    uint32_t size;      /* arena size                                 */
    uint32_t used;      /* bytes in use now (blocks + headers)        */
    uint32_t peak;      /* highest 'used' since vm_open               */
    uint32_t largest;   /* largest free block                         */
} vm_heapstats;
void vm_heap(vm_State *L, vm_heapstats *st);

/* Test hook (as Lua's ltests.c failnext): the n-th allocation of the VM
** from now on (1 = the next; a realloc that grows counts) fails once as
** if the heap were full: the VM raises "not enough memory" (vm_open
** returns NULL). 0 disarms. It survives vm_close/vm_open, so a test can
** aim at the allocations of start-up. vm_mem_count: allocations so far
** since the last vm_open. */
void vm_mem_failat(uint32_t n);
uint32_t vm_mem_count(void);

/* Run the LFS module 'name' ... ; helpers for the simulator. */
/* Push the LFS module's function, or nil (no LFS or no such module). */
void vm_pushlfsmodule(vm_State *L, const char *name);
/* Push the LFS index function (docs/lfs51.md §3.11: a new closure over the
** image's main Proto, the globals as its environment), or nil without
** LFS. */
void vm_pushlfsindex(vm_State *L);
/* The LFS partition and image: *mapped the partition's target address
** (PLAT_FLASH_MAPPED + base; 0 without a partition), *base its flash
** offset, *size its size, *used the image's flash_size (0 without an
** image); any pointer may be NULL. Returns 1 if an image is mapped. */
int vm_lfsinfo(vm_State *L, uint32_t *mapped, uint32_t *base,
               uint32_t *size, uint32_t *used);
/* Push a new array of every string in the RAM string table (rom 0) or in
** the LFS read-only string table (rom 1), in table order, and return how
** many; -1 (nothing pushed) when rom is 1 and no LFS is mapped. */
int vm_getstrings(vm_State *L, int rom);
/* Console output through vm_config.write (print's output). */
void vm_writestring(vm_State *L, const char *s, size_t n);

/* ---- basic stack manipulation ------------------------------------------ */
int   vm_gettop(vm_State *L);
void  vm_settop(vm_State *L, int idx);
void  vm_pushvalue(vm_State *L, int idx);
void  vm_remove(vm_State *L, int idx);
void  vm_insert(vm_State *L, int idx);
void  vm_replace(vm_State *L, int idx);
int   vm_checkstack(vm_State *L, int sz);
void  vm_xmove(vm_State *from, vm_State *to, int n);
#define vm_pop(L, n) vm_settop(L, -(n) - 1)

/* ---- access ------------------------------------------------------------ */
int   vm_type(vm_State *L, int idx);
const char *vm_typename(vm_State *L, int tp);
int   vm_isnumber(vm_State *L, int idx);      /* number or convertible str */
int   vm_isstring(vm_State *L, int idx);      /* string or number          */
int   vm_iscfunction(vm_State *L, int idx);
int   vm_isrotable(vm_State *L, int idx);
int   vm_islightfunction(vm_State *L, int idx);
int   vm_rawequal(vm_State *L, int i1, int i2);
int   vm_lessthan(vm_State *L, int i1, int i2);  /* may call __lt        */
vm_Number  vm_tonumber(vm_State *L, int idx);    /* 0 if not a number    */
vm_Integer vm_tointeger(vm_State *L, int idx);   /* truncated            */
int   vm_toboolean(vm_State *L, int idx);
/* Converts a number in place to a string, as Lua does ("%.14g"; "%d" in
** the integer VM). NULL if neither. The pointer lives while the value is
** on the stack. */
const char *vm_tolstring(vm_State *L, int idx, size_t *len);
#define vm_tostring(L, i) vm_tolstring(L, (i), NULL)
size_t vm_objlen(vm_State *L, int idx);          /* raw #: string, table,
                                                    userdata size        */
vm_CFunction vm_tocfunction(vm_State *L, int idx);
void *vm_touserdata(vm_State *L, int idx);       /* full or light        */
vm_State *vm_tothread(vm_State *L, int idx);
/* The 32-bit target address of a collectable or light value (0 if none):
** what "%p" and tostring(table) print on the device. */
uint32_t vm_toaddress(vm_State *L, int idx);

/* ---- push ---------------------------------------------------------------- */
void vm_pushnil(vm_State *L);
void vm_pushnumber(vm_State *L, vm_Number n);
void vm_pushinteger(vm_State *L, vm_Integer n);
void vm_pushlstring(vm_State *L, const char *s, size_t l);
void vm_pushstring(vm_State *L, const char *s);   /* NULL pushes nil */
/* Formats %% %s %d %c %f (as LUAI_NUMFFORMAT) %p, as lua_pushfstring. */
const char *vm_pushvfstring(vm_State *L, const char *fmt, va_list ap);
const char *vm_pushfstring(vm_State *L, const char *fmt, ...);
void vm_pushcclosure(vm_State *L, vm_CFunction fn, int n);
#define vm_pushcfunction(L, f) vm_pushcclosure(L, (f), 0)
void vm_pushboolean(vm_State *L, int b);
void vm_pushlightuserdata(vm_State *L, void *p);
int  vm_pushthread(vm_State *L);                  /* 1 if main thread */
#define vm_pushliteral(L, s) vm_pushlstring(L, "" s, sizeof(s) - 1)

/* ---- get --------------------------------------------------------------- */
void vm_gettable(vm_State *L, int idx);
void vm_getfield(vm_State *L, int idx, const char *k);
void vm_rawget(vm_State *L, int idx);
void vm_rawgeti(vm_State *L, int idx, int n);
void vm_createtable(vm_State *L, int narr, int nrec);
#define vm_newtable(L) vm_createtable(L, 0, 0)
void *vm_newuserdata(vm_State *L, size_t sz);
int  vm_getmetatable(vm_State *L, int objindex);  /* 0 pushes nothing */
void vm_getfenv(vm_State *L, int idx);
#define vm_getglobal(L, s) vm_getfield(L, VM_GLOBALSINDEX, (s))

/* ---- set --------------------------------------------------------------- */
void vm_settable(vm_State *L, int idx);
void vm_setfield(vm_State *L, int idx, const char *k);
void vm_rawset(vm_State *L, int idx);    /* error on a ROTable */
void vm_rawseti(vm_State *L, int idx, int n);
int  vm_setmetatable(vm_State *L, int objindex);
int  vm_setfenv(vm_State *L, int idx);
#define vm_setglobal(L, s) vm_setfield(L, VM_GLOBALSINDEX, (s))

/* ---- calls, loading ------------------------------------------------------ */
void vm_call(vm_State *L, int nargs, int nresults);
int  vm_pcall(vm_State *L, int nargs, int nresults, int errfunc);
int  vm_cpcall(vm_State *L, vm_CFunction func, void *ud);
/* Load a chunk: target .lc bytes (ESC "Lua" header, lc51 format of the
** VM's number type) or, with a compiler configured, source text. Pushes
** the function or an error message. */
int  vm_loadbuffer(vm_State *L, const char *buf, size_t sz,
                   const char *chunkname);
int  vm_loadfile(vm_State *L, const char *filename);   /* NULL: stdin */
/* Status of 0 and results; a message on error (as luaL_dostring). */
int  vm_dostring(vm_State *L, const char *s);

/* Write the Lua function on top of the stack as target .lc bytes (what
** vm_loadbuffer loads), through w; lua_dump's contract: nonzero for a C
** function or the writer's first nonzero result (vm51_dump.c). */
typedef int (*vm_Writer)(vm_State *L, const void *p, size_t sz, void *ud);
int  vm_dump(vm_State *L, vm_Writer w, void *ud);
#define VM_HAVE_DUMP 1

/* ---- coroutines ---------------------------------------------------------- */
vm_State *vm_newthread(vm_State *L);
int  vm_yield(vm_State *L, int nresults);  /* use as: return vm_yield(...) */
int  vm_resume(vm_State *L, int narg);
int  vm_status(vm_State *L);

/* ---- GC, misc ------------------------------------------------------------ */
int  vm_gc(vm_State *L, int what, int data);
int  vm_error(vm_State *L);                       /* raises the top value */
int  vm_next(vm_State *L, int idx);               /* works on ROTables   */
void vm_concat(vm_State *L, int n);               /* __concat too        */

/* ---- debug interface (what the debug library and tracebacks need) ------- */
typedef struct vm_Debug {
    int event;
    const char *name;        /* (n) */
    const char *namewhat;    /* (n) "global", "local", "method", "field",
                                "upvalue" or "" */
    const char *what;        /* (S) "Lua", "C", "main", "tail" */
    const char *source;      /* (S) */
    int currentline;         /* (l) */
    int nups;                /* (u) */
    int linedefined;         /* (S) */
    int lastlinedefined;     /* (S) */
    char short_src[60];      /* (S) */
    int i_ci;                /* private */
} vm_Debug;
int  vm_getstack(vm_State *L, int level, vm_Debug *ar);
int  vm_getinfo(vm_State *L, const char *what, vm_Debug *ar);  /* ">..." */
const char *vm_getlocal(vm_State *L, const vm_Debug *ar, int n);
const char *vm_setlocal(vm_State *L, const vm_Debug *ar, int n);
const char *vm_getupvalue(vm_State *L, int funcindex, int n);
const char *vm_setupvalue(vm_State *L, int funcindex, int n);

/* ---- auxiliary library (lauxlib's subset, same messages) ---------------- */
int  vm_argerror(vm_State *L, int narg, const char *extramsg);
int  vm_typerror(vm_State *L, int narg, const char *tname);
const char *vm_checklstring(vm_State *L, int narg, size_t *l);
const char *vm_optlstring(vm_State *L, int narg, const char *def, size_t *l);
#define vm_checkstring(L, n) vm_checklstring(L, (n), NULL)
#define vm_optstring(L, n, d) vm_optlstring(L, (n), (d), NULL)
vm_Number  vm_checknumber(vm_State *L, int narg);
vm_Number  vm_optnumber(vm_State *L, int narg, vm_Number def);
vm_Integer vm_checkinteger(vm_State *L, int narg);
vm_Integer vm_optinteger(vm_State *L, int narg, vm_Integer def);
#define vm_checkint(L, n) ((int)vm_checkinteger(L, (n)))
#define vm_optint(L, n, d) ((int)vm_optinteger(L, (n), (d)))
void vm_checkstack_msg(vm_State *L, int sz, const char *msg);
void vm_checktype(vm_State *L, int narg, int t);
void vm_checkany(vm_State *L, int narg);
int  vm_checkoption(vm_State *L, int narg, const char *def,
                    const char *const lst[]);
int  vm_newmetatable(vm_State *L, const char *tname);   /* registry */
void *vm_checkudata(vm_State *L, int ud, const char *tname);
void vm_where(vm_State *L, int lvl);                    /* "chunk:line:" */
int  vm_errorf(vm_State *L, const char *fmt, ...);      /* luaL_error    */
int  vm_ref(vm_State *L, int t);
void vm_unref(vm_State *L, int t, int ref);
int  vm_getmetafield(vm_State *L, int obj, const char *e);
int  vm_callmeta(vm_State *L, int obj, const char *e);
/* tostring()'s conversion: __tostring, else "nil", "true", numbers,
** "table: 0x3fff1234" ... Pushes the result and returns it as a string;
** NULL if __tostring returned something else (pushed unconverted). */
const char *vm_tolstring_meta(vm_State *L, int idx, size_t *len);
/* lua.c's docall: vm_pcall of the function below nargs arguments with a
** message handler that appends debug.traceback to string messages. */
int  vm_pcalltrace(vm_State *L, int nargs, int nresults);
#define vm_typenameat(L, i) vm_typename(L, vm_type(L, (i)))
#define vm_argcheck(L, cond, narg, msg) \
    ((void)((cond) || vm_argerror(L, (narg), (msg))))

/* String buffer (luaL_Buffer): builds on the stack, any length. */
#define VM_BUFFERSIZE 256
typedef struct vm_Buffer {
    char *p;                 /* current position in buffer */
    int lvl;                 /* number of strings on the stack */
    vm_State *L;
    char buffer[VM_BUFFERSIZE];
} vm_Buffer;
void vm_buffinit(vm_State *L, vm_Buffer *B);
char *vm_prepbuffer(vm_Buffer *B);       /* VM_BUFFERSIZE bytes free */
void vm_addlstring(vm_Buffer *B, const char *s, size_t l);
void vm_addstring(vm_Buffer *B, const char *s);
void vm_addvalue(vm_Buffer *B);          /* pops the top value */
void vm_pushresult(vm_Buffer *B);
#define vm_addchar(B, c) \
    ((void)((B)->p < ((B)->buffer + VM_BUFFERSIZE) || vm_prepbuffer(B)), \
     (*(B)->p++ = (char)(c)))
#define vm_addsize(B, n) ((B)->p += (n))

/* Number formatting of the VM: "%.14g" (float) or "%d" (integer) into buf
** (at least 32 bytes); returns the length. */
int vm_numtostr(vm_State *L, vm_Number n, char *buf);
/* Whether the VM is the integer build. */
int vm_integral(vm_State *L);

/* ---- libraries ------------------------------------------------------------
** Each lib_*.c exports its ROTable (const vm_roentry lib_X_tab[]) and, if it
** needs per-state setup (registry entries, RAM tables such as
** package.loaded), an opener int lib_X_open(vm_State *L) called by vm_open
** after the globals exist. lib_base_open puts the base functions into the
** RAM global table (they are globals, not a ROTable). */

#endif
