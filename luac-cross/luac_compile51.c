/*
** luac_compile51.c: one Lua 5.1 source text to a NodeMCU Proto tree, the
** way luac.cross compiles each input file: the integer build's constant
** folding (luac_fold51), a '#' first line dropped, stock Lua compiling
** (luac_front), NodeMCU's rules (luac_check51). Also the firmware VM's
** host compiler (vm.h vm_compiler): load, loadstring, dofile and require
** of source in nodemcu-sim and luac.cross -F get target .lc bytes.
** May call: luac_front, luac_check51, luac_fold51, lfs/.
*/
#include "luac-cross/luac.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc51.h"
#include "luac-cross/luac_front.h"

int luac_compile51(luac_front_t *fe, const char *src, size_t len,
                   const char *chunkname, const char *shown,
                   luac_target_t target, lfs_model_t *m, lfs_diag_t *d,
                   luac_warn_fn warn, lfs_proto_t **out)
{
    char *folded = NULL;
    size_t fl = 0;
    if (target == LUAC_T51_INT && luac_fold51(src, len, d, &folded, &fl))
        return d->code;
    if (folded) {
        src = folded;
        len = fl;
    }
    /* A first line starting with '#' is dropped, keeping its newline. */
    const char *text = src;
    size_t tl = len;
    if (tl && text[0] == '#') {
        size_t k = strcspn(text, "\n\r");
        text += k;
        tl -= k;
    }
    int rc = luac_front_compile(fe, text, tl, chunkname, m, d, out);
    if (!rc)
        rc = luac_check51(*out, src, len, shown, target, m, d, warn);
    free(folded);
    return rc;
}

/* ---- the VM's host compiler --------------------------------------------- */

static void quiet(const char *msg)
{
    (void)msg;
}

/* Lua's message for the failure: the stock compiler's text as is, our
** checks' as "chunk:line: msg" the way the device's compiler says it. */
static char *vm_message(const lfs_diag_t *d, const char *shown)
{
    size_t n = strlen(d->msg) + strlen(shown) + 32;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (d->line > 0)
        snprintf(s, n, "%s:%d: %s", shown, d->line, d->msg);
    else
        snprintf(s, n, "%s", d->msg);
    return s;
}

/* The chunk name as Lua shows it in messages (luaO_chunkid, short). */
static void shown_name(const char *chunk, char *out, size_t n)
{
    if (*chunk == '@' || *chunk == '=') {
        snprintf(out, n, "%s", chunk + 1);
    } else {
        size_t l = strcspn(chunk, "\n\r");
        if (l > 44)                /* LUA_IDSIZE 60 - " [string \"...\"] " */
            l = 44;
        snprintf(out, n, "[string \"%.*s%s\"]", (int)l, chunk,
                 chunk[l] ? "..." : "");
    }
}

int luac_vm_compile51(void *ud, const char *src, size_t len,
                      const char *chunkname, int integral,
                      unsigned char **lc, size_t *lclen, char **err)
{
    luac_front_t *fe = ud;
    lfs_model_t m;
    lfs_diag_t d;
    lfs_proto_t *f;
    lfs_buf_t out;
    char shown[96];
    shown_name(chunkname, shown, sizeof shown);
    *lc = NULL;
    *err = NULL;
    lfs_model_init(&m);
    lfs_diag_init(&d, NULL);
    lfs_buf_init(&out);
    int rc = luac_compile51(fe, src, len, chunkname, shown,
                            integral ? LUAC_T51_INT : LUAC_T51_FLOAT, &m,
                            &d, quiet, &f);
    if (!rc) {
        lc51_target_t t = integral ? lc51_nodemcu_int : lc51_nodemcu_float;
        rc = lc51_write(f, &t, &out, &d);
        if (!rc && out.err)
            rc = lfs_fail(&d, -1, LFS_ENOMEM, "not enough memory");
    }
    lfs_model_free(&m);
    if (rc) {
        lfs_buf_free(&out);
        *err = vm_message(&d, shown);
        return 1;
    }
    *lc = out.data;
    *lclen = out.len;
    return 0;
}
