/*
** lib_digest.h: the message digests of the crypto library (lib_crypto.c):
** MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-2), streamed through one
** context type, and HMAC over any of them (RFC 2104). Written here, not
** taken from a Debian library, because the firmware needs them on the
** chip: the same sources build for the ESP8266 (plain C11, fixed-width
** types, no allocation; a context is about 110 bytes).
** Spec: RFC 1321, FIPS 180-2, RFC 2104. Twin: lib_digest.c. May call: libc.
*/
#ifndef LIB_DIGEST_H
#define LIB_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define LIB_DIGEST_BLOCK 64     /* block size of every algorithm here     */
#define LIB_DIGEST_MAX   32     /* largest digest (SHA-256)               */

typedef struct lib_digest_algo lib_digest_algo_t;

/* A running digest. */
typedef struct lib_digest {
    const lib_digest_algo_t *algo;
    uint32_t h[8];              /* chaining state                         */
    uint64_t len;               /* bytes hashed so far                    */
    uint8_t buf[LIB_DIGEST_BLOCK];  /* the partial block                  */
} lib_digest_t;

/* A running HMAC: the inner digest and the key block (the key, or its
** digest if longer than a block, zero-padded). */
typedef struct lib_digest_hmac {
    lib_digest_t inner;
    uint8_t key[LIB_DIGEST_BLOCK];
} lib_digest_hmac_t;

/* The algorithm named name ("MD5", "SHA1", "SHA256"; any case, as
** NodeMCU's crypto_digest_mech), or NULL. */
const lib_digest_algo_t *lib_digest_find(const char *name);
/* Its digest size in bytes. */
size_t lib_digest_size(const lib_digest_algo_t *a);

void lib_digest_init(lib_digest_t *d, const lib_digest_algo_t *a);
void lib_digest_update(lib_digest_t *d, const void *data, size_t n);
/* Writes lib_digest_size bytes to out; d must be initialised again before
** further use. */
void lib_digest_final(lib_digest_t *d, uint8_t *out);

void lib_digest_hmac_init(lib_digest_hmac_t *h, const lib_digest_algo_t *a,
                          const void *key, size_t keylen);
void lib_digest_hmac_update(lib_digest_hmac_t *h, const void *data,
                            size_t n);
/* Writes the MAC to out and starts over with the same key. */
void lib_digest_hmac_final(lib_digest_hmac_t *h, uint8_t *out);

#endif
