/*
** lc53_func.h: the NodeMCU 5.3 function record (docs/lfs53.md §4.2), which the
** .lc file (strings inline, §10) and the LFS image stream (strings as
** references into its string section, §4.3) share. The record reader and
** writer live in lc53_read.c and lc53_write.c; each format supplies how
** a string field is read or written. Internal to lfs/: lc53 and lfs53.
** Twin: lc53_read_function / lc53_write_function. May call: lfs_model,
** lfs_buf.
*/
#ifndef LC53_FUNC_H
#define LC53_FUNC_H

#include "lfs/lc53.h"

typedef struct lc53_fn_reader lc53_fn_reader_t;
struct lc53_fn_reader {
    lfs_cur_t *c;
    lfs_model_t *m;
    int int64;              /* 8-byte lua_Integer and lua_Number */
    /* Read one string field; NULL (data == NULL) is allowed here, the
    ** caller decides. Errors go into c. */
    void (*get_string)(lc53_fn_reader_t *r, lfs_str_t *s, const char *what);
    void *ud;
    int names_seen;         /* hasnames bytes read: bit 0 for 0, 1 for 1 */
    int nfunctions;         /* function records read */
};

/* Read one function record (children first); NULL on error (in r->c). A
** NULL source inherits parent. */
lfs_proto_t *lc53_read_function(lc53_fn_reader_t *r, lfs_str_t parent,
                                int depth);

typedef struct lc53_fn_writer lc53_fn_writer_t;
struct lc53_fn_writer {
    lfs_buf_t *b;
    const lc53_target_t *t;
    lfs_diag_t *d;
    int err;                /* sticky: first failure's code */
    void (*put_string)(lc53_fn_writer_t *w, lfs_str_t s);
    void *ud;
};

/* Write one function record; a source equal to parent is written NULL.
** Constants the target cannot hold set w->err (LFS_ELIMIT). */
void lc53_write_function(lc53_fn_writer_t *w, const lfs_proto_t *f,
                         lfs_str_t parent);

#endif
