/*
** lc51_walk.h: the one walk over a Lua 5.1 bytecode file's fields, in
** lundump.c's order (layout in lc51.h), for reading and for writing.
** Reading is a cursor over untrusted bytes that checks the header, every
** count against the bytes left, string terminators, padding, nesting and
** trailing bytes, and hands each part of each function record to the
** caller's callbacks (lc51_visit_t), which build their own objects:
** lc51_read.c the host model, firmware/vm51/vm51_undump.c the VM's RAM
** Protos. What the two readers accept differently is data (lc51_rules_t);
** a failure is a small record (lc51_fault_t) that each words in its own
** way. Writing asks the caller's accessors (lc51_query_t) for the same
** parts in the same order and sends the bytes to the caller's sink:
** lc51_write.c from the model, firmware/vm51/vm51_dump.c (string.dump)
** from Protos. The firmware links this file, so it is plain C11 with
** fixed-width types: no allocation, no text, and one small C frame per
** nesting level.
** Spec: docs/lfs51.md §3.9 (packed line info). Twin: lc51_walk_read /
** lc51_walk_write. May call: libc.
*/
#ifndef LC51_WALK_H
#define LC51_WALK_H

#include <stddef.h>
#include <stdint.h>

/* The 12-byte header at offset 0 (stock lundump.c layout; docs/lc.md
** §1.1). */
typedef struct lc51_header {
    uint8_t signature[4];   /* 0x00 4  "\033Lua"                           */
    uint8_t version;        /* 0x04 1  0x51                                */
    uint8_t format;         /* 0x05 1  0 (official)                        */
    uint8_t endian;         /* 0x06 1  1 = little-endian                   */
    uint8_t sizeof_int;     /* 0x07 1  4                                   */
    uint8_t sizeof_size_t;  /* 0x08 1  4 on the ESP8266, 8 on 64-bit hosts */
    uint8_t sizeof_instr;   /* 0x09 1  4                                   */
    uint8_t sizeof_number;  /* 0x0A 1  8 (double) or 4 (int build)         */
    uint8_t integral;       /* 0x0B 1  1 in the int build                  */
} lc51_header_t;
_Static_assert(sizeof(lc51_header_t) == 12, "lundump.c header");

typedef enum lc51_flavour {
    LC51_STOCK,     /* lua_dump of stock Lua 5.1 */
    LC51_NODEMCU    /* NodeMCU target .lc */
} lc51_flavour_t;

/* A string field: p[len] is its NUL; p NULL when absent (size 0). */
typedef struct lc51_str {
    const char *p;
    uint32_t len;
} lc51_str_t;

/* The fixed fields that open a function record. */
typedef struct lc51_func {
    lc51_str_t source;          /* absent: the parent's */
    int32_t linedefined, lastlinedefined;
    uint8_t nups, numparams, is_vararg, maxstacksize;
} lc51_func_t;

/* Copy the line range and the four byte fields between two structs that
** name them as lua5.1's Proto does: lc51_func_t, the model's Protos, the
** VM's. */
#define LC51_COPY_FIXED(to, from) \
    ((to)->linedefined = (from)->linedefined, \
     (to)->lastlinedefined = (from)->lastlinedefined, \
     (to)->nups = (from)->nups, (to)->numparams = (from)->numparams, \
     (to)->is_vararg = (from)->is_vararg, \
     (to)->maxstacksize = (from)->maxstacksize)

/* Constant tags, as stored (lua.h's). */
enum { LC51_TNIL = 0, LC51_TBOOLEAN = 1, LC51_TNUMBER = 3, LC51_TSTRING = 4 };

typedef struct lc51_const {
    uint8_t type;               /* LC51_T* */
    uint8_t b;                  /* boolean: 0 or 1 */
    int32_t i;                  /* number of an integral file */
    double n;                   /* number of a float file */
    lc51_str_t s;               /* string: never absent */
} lc51_const_t;

typedef struct lc51_local {
    lc51_str_t name;
    int32_t startpc, endpc;
} lc51_local_t;

/* The vectors whose count comes before their elements. */
typedef enum lc51_vec { LC51_VK, LC51_VP, LC51_VLOC, LC51_VUPV } lc51_vec_t;

/* ---- reading ----------------------------------------------------------- */

/* What differs between readers. A constant table, one per reader. */
typedef struct lc51_rules {
    uint16_t maxnest;   /* children nested deeper below the main fail */
    uint8_t locmin;     /* fewest bytes a local-variable record counts */
    uint8_t zeropad;    /* 1: padding bytes must be zero */
    uint8_t names;      /* 1: local and upvalue names must be present */
} lc51_rules_t;

/* The field a fault was met in (lc51_read.c names them). */
enum lc51_field {
    LC51_FHEADER, LC51_FSOURCE, LC51_FLINEDEFINED, LC51_FLASTLINEDEFINED,
    LC51_FNUPS, LC51_FNUMPARAMS, LC51_FIS_VARARG, LC51_FMAXSTACKSIZE,
    LC51_FNCODE, LC51_FPADDING, LC51_FCODE, LC51_FNK, LC51_FKTYPE,
    LC51_FBOOLEAN, LC51_FNUMBER, LC51_FKSTRING, LC51_FNP, LC51_FLINEINFO,
    LC51_FPACKED, LC51_FNLOCVARS, LC51_FLOCNAME, LC51_FSTARTPC,
    LC51_FENDPC, LC51_FUPVALNAME
};

/* Faults, positive; a and b of lc51_fault_t as noted. */
enum lc51_err {
    LC51_ETRUNC = 1,    /* the field runs past the end: a = bytes needed */
    LC51_ECOUNT,        /* a count (a, as int32_t) below 0 or above what
                        ** the bytes after it can hold */
    LC51_ESTRLEN,       /* a string's size (a) runs past the end */
    LC51_ENUL,          /* a string does not end in its NUL */
    LC51_EPAD,          /* a padding byte (a) is not 0 (zeropad) */
    LC51_ESIGNATURE,    /* header: not "\033Lua" */
    LC51_EVERSION,      /* header: not 0x51 */
    LC51_EFORMAT,       /* header: format not 0 */
    LC51_EENDIAN,       /* header: big-endian */
    LC51_ESIZES,        /* header: int, size_t or Instruction size */
    LC51_ENUMBERS,      /* header: neither 8-byte doubles nor 4-byte ints */
    LC51_ESIZE_T,       /* header: NodeMCU flavour with size_t not 4 */
    LC51_EDEEP,         /* nested deeper than maxnest */
    LC51_ENOCODE,       /* a function without instructions */
    LC51_EKTYPE,        /* constant b has type a */
    LC51_EKNULL,        /* string constant b is absent */
    LC51_ENLINES,       /* stock: a line-info entries for b instructions */
    LC51_ELINES,        /* packed line info does not fit b instructions */
    LC51_ENAME,         /* an absent local or upvalue name (names) */
    LC51_ENUPNAMES,     /* a upvalue names for b upvalues */
    LC51_ETRAIL         /* bytes after the main function */
};

typedef struct lc51_fault {
    uint8_t field;      /* enum lc51_field */
    size_t at;          /* the offset a diagnostic names: where the walk
                        ** was when it found the fault; for ECOUNT,
                        ** EKTYPE, EPAD, ELINES and the header's faults
                        ** the start of what is wrong */
    uint64_t a;
    int32_t b;
} lc51_fault_t;

/* The parts of a function record, in file order. f is the handle the
** func callback returned for the function they belong to. Each returns 0
** to go on; anything else stops the walk, which returns it (keep it
** apart from the positive faults). end may be NULL. */
typedef struct lc51_visit {
    /* Source and fixed fields read; parent NULL for the main function. */
    int (*func)(void *ud, void *parent, const lc51_func_t *fn, void **f);
    /* n > 0 little-endian instructions at p (4-byte file offset). */
    int (*code)(void *ud, void *f, const uint8_t *p, int32_t n);
    /* The count of a vector, before its elements. */
    int (*count)(void *ud, void *f, lc51_vec_t v, int32_t n);
    int (*constant)(void *ud, void *f, int32_t i, const lc51_const_t *k);
    /* Child i, read whole. */
    int (*child)(void *ud, void *f, int32_t i, void *c);
    /* Line info when present: n little-endian ints (stock), or n bytes of
    ** packed line info ending in its NUL (NodeMCU). */
    int (*lines)(void *ud, void *f, const uint8_t *p, int32_t n);
    int (*local)(void *ud, void *f, int32_t i, const lc51_local_t *lv);
    int (*upvalue)(void *ud, void *f, int32_t i, lc51_str_t name);
    /* The record read whole (children included). */
    int (*end)(void *ud, void *f);
} lc51_visit_t;

typedef struct lc51_walk {
    const uint8_t *p;
    size_t n, pos;
    lc51_header_t h;            /* valid once lc51_walk_open succeeded */
    lc51_flavour_t flavour;
    const lc51_rules_t *rules;
    const lc51_visit_t *v;
    void *ud;
    int err;                    /* the first fault or callback result */
    lc51_fault_t fault;         /* the fault's details */
    lc51_func_t fn;             /* the part being handed over */
    lc51_const_t k;
    lc51_local_t lv;
} lc51_walk_t;

/* Start at p[0..n-1] and check the header; 0 or a fault. */
int lc51_walk_open(lc51_walk_t *w, const uint8_t *p, size_t n,
                   lc51_flavour_t fl, const lc51_rules_t *rules);
/* Read the main function through v, then require the end of the bytes.
** 0 (*main = its handle), a fault, or what a callback returned. */
int lc51_walk_read(lc51_walk_t *w, const lc51_visit_t *v, void *ud,
                   void **main);
/* Record a fault (the first one wins) and return it; callbacks may. */
int lc51_walk_fail(lc51_walk_t *w, int err, int field, size_t at,
                   uint64_t a, int32_t b);

/* ---- writing ----------------------------------------------------------- */

/* What the writer needs of a function before its elements. */
typedef struct lc51_shape {
    lc51_func_t head;           /* source absent: the parent's, or strip */
    const uint32_t *code;       /* host-order instructions */
    int32_t sizecode, sizek, sizep, sizelocvars, sizeupvalues;
} lc51_shape_t;

/* Copy the vector sizes of a Proto (the model's or the VM's) to a shape. */
#define LC51_COPY_SIZES(to, from) \
    ((to)->sizecode = (from)->sizecode, (to)->sizek = (from)->sizek, \
     (to)->sizep = (from)->sizep, (to)->sizelocvars = (from)->sizelocvars, \
     (to)->sizeupvalues = (from)->sizeupvalues)

/* The caller's side of a write: accessors, asked in file order (f is the
** caller's function, parent NULL for the main), and the sink. A nonzero
** result of constant, lines or put stops the write, which returns it. */
typedef struct lc51_query {
    void (*func)(void *ud, const void *parent, const void *f,
                 lc51_shape_t *s);
    int (*constant)(void *ud, const void *f, int32_t i, lc51_const_t *k);
    const void *(*child)(void *ud, const void *f, int32_t i);
    /* As lc51_visit_t's lines; n 0 when there are none. */
    int (*lines)(void *ud, const void *f, const uint8_t **p, int32_t *n);
    void (*local)(void *ud, const void *f, int32_t i, lc51_local_t *lv);
    lc51_str_t (*upvalue)(void *ud, const void *f, int32_t i);
    int (*put)(void *ud, const void *p, size_t n);
} lc51_query_t;

/* Write a file of flavour fl with these sizes whose main function is
** main; 0 or the first nonzero result of an accessor or the sink. */
int lc51_walk_write(const lc51_query_t *q, void *ud, lc51_flavour_t fl,
                    uint8_t sizeof_size_t, uint8_t integral,
                    const void *main);

#endif
