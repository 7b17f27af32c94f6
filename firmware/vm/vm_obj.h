/*
** vm_obj.h: the VM's object layouts and the inline helpers every core file
** uses. Only the core (vm_*.c, vm51_*.c) includes this; libraries see
** vm.h.
** Spec: docs/lfs51.md §2 (target data model: tags, GC header, TValue, TString,
** Proto, LocVar), §3.6 (string hash), §5.4 (the VM never writes flash).
** Twin: none. May call: plat, libc.
**
** References. Every reference stored in a VM object is a 32-bit target
** address (plat_ref_t, docs/architecture.md §3); code converts with
** plat_ptr/plat_ref at the edge and works on host pointers in between. RAM
** objects live in the plat heap arena (vm_mem.c); flash objects (an LFS image)
** are used in place; ROTables and their key strings live in rom (the firmware's
** irom0; on the host a region built by vm_rot_host.c).
**
** The collector's one rule: only objects inside the heap arena are
** collectable (vm_isram, an address-range test). The GC never marks,
** sweeps or writes a flash object or a ROTable; RAM may point into flash
** and rom, never the other way.
**
** Numbers. RAM TValues have one layout in both VMs: 8 value bytes and a
** 4-byte tag (12 bytes, 4-aligned, docs/lfs51.md §2.4 float build). Numbers in
** RAM are always doubles; the integer VM keeps every number an integer in
** int32 range (arithmetic, conversions and the API truncate or wrap as
** NodeMCU's LUA_NUMBER_INTEGRAL firmware does). Constant vectors (Proto
** k[]) keep the image's layout: 12-byte TValues in the float VM, 8-byte
** {int32 or ref, tag} pairs in the integer VM, in flash and in RAM Protos
** alike; the integer interpreter converts a constant as it reads it
** (vm51_exec.c is compiled once per layout).
*/
#ifndef VM_OBJ_H
#define VM_OBJ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "firmware/plat/plat.h"
#include "firmware/vm/vm.h"

/* ---- tags (docs/lfs51.md §2.2) ------------------------------------------- */

#define VM_TPROTO         9     /* internal: anchors a Proto on the stack */
#define VM_TUPVAL         10
#define VM_TDEADKEY       11    /* a weak key that was collected          */
#define VM_TROTABLE       0x15  /* VM_TTABLE | 0x10                       */
#define VM_TLIGHTFUNCTION 0x26  /* VM_TFUNCTION | 0x20                    */
#define VM_BASETYPE(t)    ((t) & 0x0F)

/* ---- marked bits (docs/lfs51.md §2.3) ---------------------------------------
** The collector is stop-the-world: an object is "white" until marked
** BLACK in a cycle; the sweep frees white RAM objects and clears BLACK.
** FIXED objects (tag-method names, the memory error message) are never
** freed. Flash strings carry LFS (0x40) and are never touched. */
#define VM_MARK_BLACK     0x04
#define VM_MARK_FINALIZED 0x08  /* udata: __gc has run (or none)          */
#define VM_MARK_KEYWEAK   0x08  /* tables: __mode has 'k'                 */
#define VM_MARK_VALUEWEAK 0x10  /* tables: __mode has 'v'                 */
#define VM_MARK_FIXED     0x20
#define VM_MARK_LFS       0x40

/* ---- TValue (docs/lfs51.md §2.4, float layout) --------------------------- */

typedef union vm_value {
    plat_ref_t gc;     /* collectable object; ROTable                      */
    uint32_t p;        /* light userdata; light function token             */
    int32_t b;         /* boolean 0/1                                      */
    double n;          /* number                                           */
} vm_value_t;

typedef struct __attribute__((packed, aligned(4))) vm_tvalue {
    vm_value_t value;  /* 0 8                                              */
    uint32_t tt;       /* 8 4  tag                                         */
} vm_tvalue_t;
_Static_assert(sizeof(vm_tvalue_t) == 12, "docs/lfs51.md §2.4");

/* A constant of the integer VM (docs/lfs51.md §2.4, integer layout). */
typedef struct vm_kvalue8 {
    uint32_t v;        /* 0 4  int32, ref or boolean                       */
    uint32_t tt;       /* 4 4                                              */
} vm_kvalue8_t;
_Static_assert(sizeof(vm_kvalue8_t) == 8, "docs/lfs51.md §2.4");

/* ---- objects ----------------------------------------------------------- */

/* The common header (docs/lfs51.md §2.3). */
typedef struct vm_gcheader {
    plat_ref_t next;   /* 0 4  GC list / string bucket chain               */
    uint8_t tt;        /* 4 1                                              */
    uint8_t marked;    /* 5 1                                              */
    uint8_t b6, b7;    /* 6 2  per type                                    */
} vm_gcheader_t;

/* TString (docs/lfs51.md §2.5): 16 bytes, then len chars and a NUL. */
typedef struct vm_string {
    plat_ref_t next;   /* 0  4  bucket chain (RAM strt or ROstrt)          */
    uint8_t tt;        /* 4  1  VM_TSTRING                                 */
    uint8_t marked;    /* 5  1  0x40 in flash                              */
    uint16_t pad;      /* 6  2                                             */
    uint32_t hash;     /* 8  4  §3.6                                       */
    uint32_t len;      /* 12 4                                             */
} vm_string_t;
_Static_assert(sizeof(vm_string_t) == 16, "docs/lfs51.md §2.5");

static inline char *str_data(const vm_string_t *s)
{
    return (char *)(s + 1);
}

/* Full userdata: 24 bytes, then len bytes (8-aligned). */
typedef struct vm_udata {
    plat_ref_t next;
    uint8_t tt, marked;
    uint16_t pad;
    plat_ref_t metatable;  /* Table, ROTable or 0                          */
    plat_ref_t env;        /* Table                                        */
    uint32_t len;
    uint32_t pad2;
} vm_udata_t;
_Static_assert(sizeof(vm_udata_t) == 24, "8-aligned payload");

/* LocVar (docs/lfs51.md §2.7). */
typedef struct vm_locvar {
    plat_ref_t varname;
    int32_t startpc;
    int32_t endpc;
} vm_locvar_t;

/* Proto (docs/lfs51.md §2.6): 72 bytes. A flash Proto has an all-zero header
** word and is never marked; a RAM Proto (from a .lc file) has tt
** VM_TPROTO and owns its vectors (separate arena blocks; packedlineinfo
** is a plain byte block, not a string). */
typedef struct vm_proto {
    plat_ref_t next;           /* 0  */
    uint8_t tt, marked;        /* 4  */
    uint16_t pad;              /* 6  */
    plat_ref_t k;              /* 8  constants (12- or 8-byte, see above) */
    plat_ref_t code;           /* 12 */
    plat_ref_t p;              /* 16 child Protos                          */
    plat_ref_t packedlineinfo; /* 20 §3.9, NUL-terminated                  */
    plat_ref_t locvars;        /* 24 */
    plat_ref_t upvalues;       /* 28 TString refs                          */
    plat_ref_t source;         /* 32 TString                               */
    int32_t sizeupvalues;      /* 36 */
    int32_t sizek;             /* 40 */
    int32_t sizecode;          /* 44 */
    int32_t sizep;             /* 48 */
    int32_t sizelocvars;       /* 52 */
    int32_t linedefined;       /* 56 */
    int32_t lastlinedefined;   /* 60 */
    plat_ref_t gclist;         /* 64 */
    uint8_t nups;              /* 68 */
    uint8_t numparams;         /* 69 */
    uint8_t is_vararg;         /* 70 */
    uint8_t maxstacksize;      /* 71 */
} vm_proto_t;
_Static_assert(sizeof(vm_proto_t) == 72 &&
               offsetof(vm_proto_t, packedlineinfo) == 20 &&
               offsetof(vm_proto_t, source) == 32 &&
               offsetof(vm_proto_t, gclist) == 64 &&
               offsetof(vm_proto_t, maxstacksize) == 71, "docs/lfs51.md §2.6");

/* Upvalue: v points at a stack slot while open, at value once closed.
** Open upvalues are on their thread's openupval list (sorted, highest
** slot first); closed ones on the root list. */
typedef struct vm_upval {
    plat_ref_t next;
    uint8_t tt, marked;
    uint16_t pad;
    plat_ref_t v;
    vm_tvalue_t value;
} vm_upval_t;

/* Closures: a common head, then the Lua or C part. */
typedef struct vm_closure {
    plat_ref_t next;
    uint8_t tt, marked;
    uint8_t isC;
    uint8_t nupvalues;
    plat_ref_t gclist;
    plat_ref_t env;            /* Table                                    */
    union {
        struct {
            plat_ref_t p;      /* Proto (flash or RAM)                     */
            plat_ref_t upvals[1];
        } l;
        struct {
            uint32_t f;        /* function token (vm_rot_fn)               */
            vm_tvalue_t upvalue[1];
        } c;
    } u;
} vm_closure_t;
#define VM_LCLOSURE_SIZE(n) (offsetof(vm_closure_t, u.l.upvals) + 4u * (n))
#define VM_CCLOSURE_SIZE(n) (offsetof(vm_closure_t, u.c.upvalue) + \
                             sizeof(vm_tvalue_t) * (n))

/* Tables: array part plus a hash part of 2^lsizenode nodes (Brent's
** variation of chained scatter, as Lua 5.1). */
typedef struct vm_node {
    vm_tvalue_t i_val;         /* 0  */
    vm_tvalue_t i_key;         /* 12 */
    plat_ref_t next;           /* 24 node ref or 0                         */
} vm_node_t;

typedef struct vm_table {
    plat_ref_t next;
    uint8_t tt, marked;
    uint8_t flags;             /* bit e set: tag method e known absent     */
    uint8_t lsizenode;
    plat_ref_t metatable;      /* Table, ROTable or 0                      */
    plat_ref_t array;          /* vm_tvalue_t[sizearray]                   */
    plat_ref_t node;           /* vm_node_t[1 << lsizenode]                */
    plat_ref_t lastfree;       /* node: all positions above are in use     */
    plat_ref_t gclist;
    int32_t sizearray;
} vm_table_t;

/* ROTable entries (vm.h vm_roentry in 32-bit target layout; on the target
** the library's own arrays, on the host rom copies; docs/lfs51.md §2.8). */
typedef struct vm_roent {
    plat_ref_t key;            /* 0 4  NUL-terminated chars; 0 ends        */
    int32_t kind;              /* 4 4  VM_RO_*                             */
    union {
        uint32_t f;            /* function token                           */
        double n;
        plat_ref_t s;          /* chars                                    */
        int32_t b;
        plat_ref_t t;          /* ROTable                                  */
    } u;                       /* 8 8                                      */
} vm_roent_t;
_Static_assert(sizeof(vm_roent_t) == 16, "vm_roentry on the target");

/* ---- threads ----------------------------------------------------------- */

typedef struct vm_callinfo {
    plat_ref_t base;           /* the function's first register            */
    plat_ref_t func;
    plat_ref_t top;            /* top for this function                    */
    plat_ref_t savedpc;
    int32_t nresults;          /* expected results                         */
    int32_t tailcalls;         /* tail calls lost under this entry         */
} vm_callinfo_t;

struct vm_State {
    plat_ref_t next;
    uint8_t tt, marked;
    uint8_t status;
    uint8_t pad;
    plat_ref_t top;            /* first free slot                          */
    plat_ref_t base;           /* base of the current function             */
    plat_ref_t l_G;            /* vm_global_t                              */
    plat_ref_t ci;             /* current call                             */
    plat_ref_t savedpc;        /* of the current Lua function              */
    plat_ref_t stack_last;     /* last usable slot                         */
    plat_ref_t stack;
    plat_ref_t end_ci;
    plat_ref_t base_ci;
    int32_t stacksize;
    int32_t size_ci;
    uint16_t baseCcalls;       /* g->nCcalls when resumed                  */
    uint16_t pad2;
    plat_ref_t openupval;
    plat_ref_t gclist;
    int32_t errfunc;           /* byte offset of the handler in the stack  */
    vm_tvalue_t l_gt;          /* globals                                  */
    vm_tvalue_t env;           /* scratch for VM_ENVIRONINDEX              */
};

/* ---- tag methods (Lua 5.1 order; the first five are cached) ------------ */
typedef enum vm_tms {
    VM_TM_INDEX, VM_TM_NEWINDEX, VM_TM_GC, VM_TM_MODE, VM_TM_EQ,
    VM_TM_ADD, VM_TM_SUB, VM_TM_MUL, VM_TM_DIV, VM_TM_MOD, VM_TM_POW,
    VM_TM_UNM, VM_TM_LEN, VM_TM_LT, VM_TM_LE, VM_TM_CONCAT, VM_TM_CALL,
    VM_TM_N
} vm_tms_t;

/* ---- the global state -------------------------------------------------- */

#define VM_NUMTAGS 9

typedef struct vm_global {
    /* strings (vm_str.c) */
    plat_ref_t strt_hash;      /* bucket heads                             */
    uint32_t strt_nuse;
    uint32_t strt_size;        /* power of 2                               */
    plat_ref_t ro_hash;        /* LFS ROstrt bucket heads, 0 without LFS   */
    uint32_t ro_nuse;
    uint32_t ro_size;
    /* LFS (docs/lfs51.md §5.1) */
    plat_ref_t lfs_main;       /* index Proto, 0 without LFS               */
    uint32_t lfs_mapped, lfs_base, lfs_size, lfs_used;
    /* collector (vm_gc.c) */
    plat_ref_t rootgc;         /* tables, closures, Protos, threads,
                                  closed upvalues                          */
    plat_ref_t udata;          /* userdata, newest first                   */
    plat_ref_t tmudata;        /* to finalize, in order                    */
    plat_ref_t tmudata_last;
    plat_ref_t gray;
    plat_ref_t weak;
    uint32_t threshold;        /* collect at safe points above this        */
    uint32_t estimate;
    int32_t gcpause;
    int32_t gcstepmul;
    uint8_t gcstopped;         /* collectgarbage("stop")                   */
    uint8_t gcbusy;            /* a collection is running                  */
    uint8_t integral;
    uint8_t gc_stress;
    uint8_t ready;             /* the state is complete (GC may run)       */
    uint8_t finalizing;        /* a __gc loop is running (vm_gc.c)         */
    uint8_t handling;          /* a message handler runs (vm_err.c)        */
    uint8_t pad[1];
    uint16_t nCcalls;          /* nested C calls (C stack depth)           */
    uint16_t pad2;
    vm_tvalue_t l_registry;
    plat_ref_t mainthread;
    plat_ref_t mt[VM_NUMTAGS]; /* metatables of the basic types            */
    plat_ref_t tmname[VM_TM_N];
    plat_ref_t memerrmsg;
    vm_node_t dummynode;       /* the empty hash part of every table       */
} vm_global_t;

/* ---- limits ------------------------------------------------------------ */

#define VM_MAXCALLS     20000  /* Lua 5.1 LUAI_MAXCALLS                      */
#define VM_MAXCCALLS    200    /* LUAI_MAXCCALLS                             */
#define VM_MAXCSTACK    8000   /* LUAI_MAXCSTACK                             */
#define VM_EXTRA_STACK  5
#define VM_BASIC_CI     8
#define VM_BASIC_STACK  (2 * VM_MINSTACK)
#define VM_MAXTAGLOOP   100
#define VM_IDSIZE       60     /* short_src                                  */
#define VM_MEMERRMSG    "not enough memory"

/* ---- helpers ----------------------------------------------------------- */

#define VM_P(type, ref) ((type *)plat_ptr(ref))

/* The arena, for the collectability test (set by vm_mem_init). */
extern plat_ref_t vm_mem_base;
extern uint32_t vm_mem_size;

static inline int vm_isram(plat_ref_t r)
{
    return (uint32_t)(r - vm_mem_base) < vm_mem_size;
}

static inline vm_global_t *G(const vm_State *L)
{
    return VM_P(vm_global_t, L->l_G);
}

/* TValues */
static inline uint32_t tv_tt(const vm_tvalue_t *o) { return o->tt; }
static inline int tv_isnil(const vm_tvalue_t *o) { return o->tt == VM_TNIL; }
static inline int tv_isnum(const vm_tvalue_t *o)
{
    return o->tt == VM_TNUMBER;
}
static inline int tv_isstr(const vm_tvalue_t *o)
{
    return o->tt == VM_TSTRING;
}
static inline int tv_istab(const vm_tvalue_t *o)
{
    return o->tt == VM_TTABLE;
}
static inline int tv_isfalse(const vm_tvalue_t *o)
{
    return o->tt == VM_TNIL || (o->tt == VM_TBOOLEAN && o->value.b == 0);
}
static inline int tv_iscollectable(const vm_tvalue_t *o)
{
    return o->tt - VM_TSTRING <= VM_TUPVAL - VM_TSTRING;
}
static inline double tv_num(const vm_tvalue_t *o) { return o->value.n; }
static inline plat_ref_t tv_gc(const vm_tvalue_t *o) { return o->value.gc; }
static inline void tv_setnil(vm_tvalue_t *o) { o->tt = VM_TNIL; }
static inline void tv_setnum(vm_tvalue_t *o, double n)
{
    o->value.n = n;
    o->tt = VM_TNUMBER;
}
static inline void tv_setbool(vm_tvalue_t *o, int b)
{
    o->value.n = 0;
    o->value.b = b != 0;
    o->tt = VM_TBOOLEAN;
}
/* A reference value (collectable, ROTable) or a 32-bit token. */
static inline void tv_setref(vm_tvalue_t *o, plat_ref_t r, uint32_t tt)
{
    o->value.n = 0;
    o->value.gc = r;
    o->tt = tt;
}
static inline void tv_setobj(const void *p, vm_tvalue_t *o, uint32_t tt)
{
    tv_setref(o, plat_ref(p), tt);
}
static inline void tv_set(vm_tvalue_t *d, const vm_tvalue_t *s) { *d = *s; }

static inline vm_string_t *tv_str(const vm_tvalue_t *o)
{
    return VM_P(vm_string_t, o->value.gc);
}
static inline vm_table_t *tv_tab(const vm_tvalue_t *o)
{
    return VM_P(vm_table_t, o->value.gc);
}
static inline vm_closure_t *tv_cl(const vm_tvalue_t *o)
{
    return VM_P(vm_closure_t, o->value.gc);
}
static inline vm_udata_t *tv_ud(const vm_tvalue_t *o)
{
    return VM_P(vm_udata_t, o->value.gc);
}
static inline vm_State *tv_th(const vm_tvalue_t *o)
{
    return VM_P(vm_State, o->value.gc);
}
static inline const char *tv_svalue(const vm_tvalue_t *o)
{
    return str_data(tv_str(o));
}

/* Threads: stack and call info as host pointers. */
static inline vm_tvalue_t *L_top(const vm_State *L)
{
    return VM_P(vm_tvalue_t, L->top);
}
static inline vm_tvalue_t *L_base(const vm_State *L)
{
    return VM_P(vm_tvalue_t, L->base);
}
static inline vm_tvalue_t *L_stack(const vm_State *L)
{
    return VM_P(vm_tvalue_t, L->stack);
}
static inline vm_callinfo_t *L_ci(const vm_State *L)
{
    return VM_P(vm_callinfo_t, L->ci);
}
static inline vm_callinfo_t *L_baseci(const vm_State *L)
{
    return VM_P(vm_callinfo_t, L->base_ci);
}
static inline void L_settop(vm_State *L, const vm_tvalue_t *p)
{
    L->top = plat_ref(p);
}
static inline void L_incrtop(vm_State *L)
{
    L->top += sizeof(vm_tvalue_t);
}
static inline vm_tvalue_t *ci_func(const vm_callinfo_t *ci)
{
    return VM_P(vm_tvalue_t, ci->func);
}
static inline vm_tvalue_t *ci_base(const vm_callinfo_t *ci)
{
    return VM_P(vm_tvalue_t, ci->base);
}
static inline vm_tvalue_t *ci_top(const vm_callinfo_t *ci)
{
    return VM_P(vm_tvalue_t, ci->top);
}
static inline int ci_isLua(const vm_callinfo_t *ci)
{
    const vm_tvalue_t *f = ci_func(ci);
    return f->tt == VM_TFUNCTION && !tv_cl(f)->isC;
}
static inline vm_proto_t *cl_proto(const vm_closure_t *cl)
{
    return VM_P(vm_proto_t, cl->u.l.p);
}

/* Stack offsets survive reallocation (savestack/restorestack). */
static inline ptrdiff_t savestack(const vm_State *L, const vm_tvalue_t *p)
{
    return (const char *)p - (const char *)L_stack(L);
}
static inline vm_tvalue_t *restorestack(const vm_State *L, ptrdiff_t n)
{
    return (vm_tvalue_t *)((char *)L_stack(L) + n);
}

/* fb2int of Lua 5.1 (NEWTABLE sizes). */
static inline int vm_fb2int(int x)
{
    int e = (x >> 3) & 31;
    uint64_t v = e == 0 ? (uint64_t)x : (uint64_t)((x & 7) + 8) << (e - 1);
    return v > INT32_MAX ? INT32_MAX : (int)v;
}

/* Integer VM number rules (NodeMCU LUA_NUMBER_INTEGRAL, int32). */
static inline int32_t vm_toint32(double d)
{
    /* Truncate toward zero; out of range saturates (libgcc's __fixdfsi
    ** on the ESP8266), NaN gives 0. */
    if (d != d)
        return 0;
    if (d >= 2147483647.0)
        return INT32_MAX;
    if (d <= -2147483648.0)
        return INT32_MIN;
    return (int32_t)d;
}

#endif
