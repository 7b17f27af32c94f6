/*
** lib_crypto.c: the crypto library of NodeMCU's Lua 5.1 firmware (the
** ESP8266 branch), as the ROTable lib_crypto_tab: hash, hmac and fhash
** (a digest of a string, or of a file of the SPIFFS the file library
** mounted, read in small pieces), new_hash and new_hmac (a digest object,
** metatable "crypto.hash": update(str), finalize()), mask (XOR with a
** repeated key), toHex and toBase64. Algorithms: MD5, SHA1, SHA256, named
** in any case; results are raw binary strings. The digests themselves are
** lib_digest.c, written here because the firmware needs them on the chip.
**
** NodeMCU's errors: "unknown hash mech", "file does not exist",
** "invalid argument: mask". Where NodeMCU's results are accidents this
** takes the standard's: an HMAC key longer than a block is hashed to the
** digest size (RFC 2104; NodeMCU's digests.c used a block's worth of the
** digest buffer), and finalize() starts the object over (same key) where
** NodeMCU's context was left spent.
** Spec: NodeMCU 3.0 docs/modules/crypto.md, app/modules/crypto.c.
** Twin: none. May call: vm.h, lib_digest.h, lib_file.h (the file system),
** libc.
*/
#include <string.h>

#include "firmware/lib/lib.h"
#include "firmware/lib/lib_digest.h"
#include "firmware/lib/lib_file.h"

#define HASH_META "crypto.hash"     /* registry: the objects' metatable  */
#define FILE_CHUNK 128              /* fhash reads this much at a time   */

typedef struct hashobj {
    lib_digest_hmac_t h;            /* h.inner alone for a plain digest  */
    uint8_t hmac;
} hashobj_t;

static const lib_digest_algo_t *check_algo(vm_State *L, int arg)
{
    const lib_digest_algo_t *a = lib_digest_find(vm_checkstring(L, arg));
    if (a == NULL)
        vm_errorf(L, "unknown hash mech");
    return a;
}

static void push_digest(vm_State *L, const lib_digest_algo_t *a,
                        const uint8_t *out)
{
    vm_pushlstring(L, (const char *)out, lib_digest_size(a));
}

/* ---- digests of strings, digest objects ---------------------------------- */

static void obj_init(hashobj_t *o, const lib_digest_algo_t *a, int hmac,
                     const char *key, size_t klen)
{
    o->hmac = (uint8_t)hmac;
    if (hmac)
        lib_digest_hmac_init(&o->h, a, key, klen);
    else
        lib_digest_init(&o->h.inner, a);
}

/* Push the digest (or MAC) and start the object over. */
static int obj_final(vm_State *L, hashobj_t *o)
{
    const lib_digest_algo_t *a = o->h.inner.algo;
    uint8_t out[LIB_DIGEST_MAX];
    if (o->hmac) {
        lib_digest_hmac_final(&o->h, out);
    } else {
        lib_digest_final(&o->h.inner, out);
        lib_digest_init(&o->h.inner, a);
    }
    push_digest(L, a, out);
    return 1;
}

/* crypto.hash(algo, str) and crypto.hmac(algo, str, key) */
static int one_shot(vm_State *L, int hmac)
{
    const lib_digest_algo_t *a = check_algo(L, 1);
    size_t n, klen = 0;
    const char *s = vm_checklstring(L, 2, &n);
    const char *key = hmac ? vm_checklstring(L, 3, &klen) : NULL;
    hashobj_t o;
    obj_init(&o, a, hmac, key, klen);
    lib_digest_update(&o.h.inner, s, n);
    return obj_final(L, &o);
}

static int crypto_hash(vm_State *L)
{
    return one_shot(L, 0);
}

static int crypto_hmac(vm_State *L)
{
    return one_shot(L, 1);
}

/* crypto.fhash(algo, filename): the file read FILE_CHUNK bytes at a time */
static int crypto_fhash(vm_State *L)
{
    const lib_digest_algo_t *a = check_algo(L, 1);
    const char *name = vm_checkstring(L, 2);
    const plat_fs_t *fs = lib_file_fs();
    spiffs_stat_t st;
    if (fs == NULL || strlen(name) > SPIFFS_NAME_MAX ||
        fs->op->stat(fs->fs, name, &st) < 0)
        return vm_errorf(L, "file does not exist");
    lib_digest_t d;
    uint8_t buf[FILE_CHUNK];
    lib_digest_init(&d, a);
    for (uint32_t off = 0; off < st.size;) {
        size_t want = st.size - off < FILE_CHUNK ? st.size - off : FILE_CHUNK;
        long got = fs->op->read(fs->fs, name, off, buf, want);
        if (got <= 0)
            return vm_errorf(L, "file does not exist");
        lib_digest_update(&d, buf, (size_t)got);
        off += (uint32_t)got;
    }
    lib_digest_final(&d, buf);
    push_digest(L, a, buf);
    return 1;
}

static int new_object(vm_State *L, int hmac)
{
    const lib_digest_algo_t *a = check_algo(L, 1);
    size_t klen = 0;
    const char *key = hmac ? vm_checklstring(L, 2, &klen) : NULL;
    hashobj_t *o = vm_newuserdata(L, sizeof *o);
    obj_init(o, a, hmac, key, klen);
    vm_getfield(L, VM_REGISTRYINDEX, HASH_META);
    vm_setmetatable(L, -2);
    return 1;
}

/* crypto.new_hash(algo) */
static int crypto_new_hash(vm_State *L)
{
    return new_object(L, 0);
}

/* crypto.new_hmac(algo, key) */
static int crypto_new_hmac(vm_State *L)
{
    return new_object(L, 1);
}

/* obj:update(str) */
static int hash_update(vm_State *L)
{
    hashobj_t *o = vm_checkudata(L, 1, HASH_META);
    size_t n;
    const char *s = vm_checklstring(L, 2, &n);
    lib_digest_update(&o->h.inner, s, n);
    return 0;
}

/* obj:finalize(): the digest; the object starts over */
static int hash_finalize(vm_State *L)
{
    return obj_final(L, vm_checkudata(L, 1, HASH_META));
}

static const vm_roentry hash_methods[] = {
    VM_RO_F("finalize", hash_finalize),
    VM_RO_F("update", hash_update),
    VM_RO_END
};

static const vm_roentry hash_meta[] = {
    VM_RO_T("__index", hash_methods),
    VM_RO_END
};

/* ---- byte-string helpers ------------------------------------------------- */

/* crypto.mask(message, mask) */
static int crypto_mask(vm_State *L)
{
    size_t n, m;
    const char *s = vm_checklstring(L, 1, &n);
    const char *k = vm_checklstring(L, 2, &m);
    if (m == 0)
        return vm_errorf(L, "invalid argument: mask");
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (size_t i = 0; i < n; i++)
        vm_addchar(&b, s[i] ^ k[i % m]);
    vm_pushresult(&b);
    return 1;
}

/* crypto.toHex(str): lower-case hex */
static int crypto_tohex(vm_State *L)
{
    static const char hex[] = "0123456789abcdef";
    size_t n;
    const uint8_t *s = (const uint8_t *)vm_checklstring(L, 1, &n);
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (size_t i = 0; i < n; i++) {
        vm_addchar(&b, hex[s[i] >> 4]);
        vm_addchar(&b, hex[s[i] & 15]);
    }
    vm_pushresult(&b);
    return 1;
}

/* crypto.toBase64(str): RFC 4648 §4, padded */
static int crypto_tobase64(vm_State *L)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n;
    const uint8_t *s = (const uint8_t *)vm_checklstring(L, 1, &n);
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        vm_addchar(&b, b64[v >> 18]);
        vm_addchar(&b, b64[(v >> 12) & 63]);
        vm_addchar(&b, i + 1 < n ? b64[(v >> 6) & 63] : '=');
        vm_addchar(&b, i + 2 < n ? b64[v & 63] : '=');
    }
    vm_pushresult(&b);
    return 1;
}

const vm_roentry lib_crypto_tab[] = {
    VM_RO_F("fhash", crypto_fhash),
    VM_RO_F("hash", crypto_hash),
    VM_RO_F("hmac", crypto_hmac),
    VM_RO_F("mask", crypto_mask),
    VM_RO_F("new_hash", crypto_new_hash),
    VM_RO_F("new_hmac", crypto_new_hmac),
    VM_RO_F("toBase64", crypto_tobase64),
    VM_RO_F("toHex", crypto_tohex),
    VM_RO_END
};

int lib_crypto_open(vm_State *L)
{
    vm_pushrotable(L, hash_meta);
    vm_setfield(L, VM_REGISTRYINDEX, HASH_META);
    return 0;
}
