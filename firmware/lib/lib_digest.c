/*
** lib_digest.c: MD5, SHA-1 and SHA-256 and HMAC for the crypto library
** (lib_digest.h). The three are Merkle-Damgard hashes over 64-byte
** blocks, so one context, one update and one padding serve them all; an
** algorithm is its initial state, its block function and its byte order
** (MD5 little-endian, SHA big-endian, for the words and the bit length).
** The constants are those the standards define: MD5's T[i] is
** floor(2^32 * |sin(i + 1)|), SHA-256's K and H0 the fractional parts of
** the cube and square roots of the first primes.
** Spec: RFC 1321 §3, FIPS 180-2 §4-§6, RFC 2104 §2. Twin: lib_digest.h.
** May call: libc.
*/
#include "firmware/lib/lib_digest.h"

#include <string.h>
#include <strings.h>

struct lib_digest_algo {
    const char *name;
    uint8_t size;               /* digest bytes                           */
    uint8_t big_endian;
    uint32_t h0[8];
    void (*block)(uint32_t *h, const uint8_t *p);
};

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

/* A 32-bit word from 4 bytes, little- or big-endian. */
static uint32_t get(const uint8_t *p, int big_endian)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)p[big_endian ? 3 - i : i] << (8 * i);
    return v;
}

/* Its inverse. */
static void put(uint8_t *p, uint32_t v, int big_endian)
{
    for (int i = 0; i < 4; i++)
        p[big_endian ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* ---- MD5 (RFC 1321 §3.4) ------------------------------------------------ */

static const uint32_t md5_t[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu,
    0xf57c0fafu, 0x4787c62au, 0xa8304613u, 0xfd469501u,
    0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu,
    0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u,
    0xf61e2562u, 0xc040b340u, 0x265e5a51u, 0xe9b6c7aau,
    0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu,
    0xa9e3e905u, 0xfcefa3f8u, 0x676f02d9u, 0x8d2a4c8au,
    0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu,
    0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u,
    0x289b7ec6u, 0xeaa127fau, 0xd4ef3085u, 0x04881d05u,
    0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u,
    0x655b59c3u, 0x8f0ccc92u, 0xffeff47du, 0x85845dd1u,
    0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u,
    0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};

/* Shift amounts per round, four per round. */
static const uint8_t md5_s[16] = {
    7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21
};

static void md5_block(uint32_t *h, const uint8_t *p)
{
    uint32_t x[16];
    for (int i = 0; i < 16; i++)
        x[i] = get(p + 4 * i, 0);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (unsigned i = 0; i < 64; i++) {
        uint32_t f;
        unsigned k;
        switch (i / 16) {
        case 0:  f = (b & c) | (~b & d); k = i;              break;
        case 1:  f = (d & b) | (~d & c); k = (5 * i + 1) % 16; break;
        case 2:  f = b ^ c ^ d;          k = (3 * i + 5) % 16; break;
        default: f = c ^ (b | ~d);       k = (7 * i) % 16;     break;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b += rotl(a + f + md5_t[i] + x[k], md5_s[(i / 16) * 4 + i % 4]);
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

/* ---- SHA-1 (FIPS 180-2 §6.1.2), a 16-word rolling schedule -------------- */

static void sha1_block(uint32_t *h, const uint8_t *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = get(p + 4 * i, 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (unsigned t = 0; t < 80; t++) {
        if (t >= 16)
            w[t & 15] = rotl(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^
                             w[(t - 14) & 15] ^ w[t & 15], 1);
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999u;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1u;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdcu;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6u;
        }
        uint32_t tmp = rotl(a, 5) + f + e + k + w[t & 15];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

/* ---- SHA-256 (FIPS 180-2 §6.2.2) ---------------------------------------- */

static const uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
    0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
    0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
    0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static void sha256_block(uint32_t *h, const uint8_t *p)
{
    uint32_t w[16], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = get(p + 4 * i, 1);
    memcpy(v, h, sizeof v);
    for (unsigned t = 0; t < 64; t++) {
        if (t >= 16) {
            uint32_t x = w[(t - 15) & 15], y = w[(t - 2) & 15];
            w[t & 15] += (rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)) +
                         w[(t - 7) & 15] +
                         (rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10));
        }
        uint32_t e = v[4], a = v[0];
        uint32_t t1 = v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                      ((e & v[5]) ^ (~e & v[6])) + sha256_k[t] + w[t & 15];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                      ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof *v);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

/* ---- the algorithms ------------------------------------------------------ */

static const lib_digest_algo_t algos[] = {
    { "MD5", 16, 0,
      { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u },
      md5_block },
    { "SHA1", 20, 1,
      { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u },
      sha1_block },
    { "SHA256", 32, 1,
      { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u },
      sha256_block },
};

const lib_digest_algo_t *lib_digest_find(const char *name)
{
    for (size_t i = 0; i < sizeof algos / sizeof algos[0]; i++)
        if (strcasecmp(name, algos[i].name) == 0)
            return &algos[i];
    return NULL;
}

size_t lib_digest_size(const lib_digest_algo_t *a)
{
    return a->size;
}

void lib_digest_init(lib_digest_t *d, const lib_digest_algo_t *a)
{
    d->algo = a;
    memcpy(d->h, a->h0, sizeof d->h);
    d->len = 0;
}

void lib_digest_update(lib_digest_t *d, const void *data, size_t n)
{
    const uint8_t *p = data;
    size_t fill = (size_t)(d->len % LIB_DIGEST_BLOCK);
    d->len += n;
    if (fill > 0) {
        size_t take = LIB_DIGEST_BLOCK - fill;
        if (take > n)
            take = n;
        memcpy(d->buf + fill, p, take);
        p += take;
        n -= take;
        if (fill + take < LIB_DIGEST_BLOCK)
            return;
        d->algo->block(d->h, d->buf);
    }
    for (; n >= LIB_DIGEST_BLOCK; p += LIB_DIGEST_BLOCK, n -= LIB_DIGEST_BLOCK)
        d->algo->block(d->h, p);
    memcpy(d->buf, p, n);
}

void lib_digest_final(lib_digest_t *d, uint8_t *out)
{
    const lib_digest_algo_t *a = d->algo;
    size_t fill = (size_t)(d->len % LIB_DIGEST_BLOCK);
    uint64_t bits = d->len * 8;
    d->buf[fill++] = 0x80;
    if (fill > LIB_DIGEST_BLOCK - 8) {
        memset(d->buf + fill, 0, LIB_DIGEST_BLOCK - fill);
        a->block(d->h, d->buf);
        fill = 0;
    }
    memset(d->buf + fill, 0, LIB_DIGEST_BLOCK - 8 - fill);
    uint8_t *lenp = d->buf + LIB_DIGEST_BLOCK - 8;
    put(lenp + (a->big_endian ? 4 : 0), (uint32_t)bits, a->big_endian);
    put(lenp + (a->big_endian ? 0 : 4), (uint32_t)(bits >> 32),
        a->big_endian);
    a->block(d->h, d->buf);
    for (unsigned i = 0; i < a->size / 4u; i++)
        put(out + 4 * i, d->h[i], a->big_endian);
}

/* ---- HMAC (RFC 2104 §2) ------------------------------------------------ */

/* Start a digest over the key block XORed with pad (0x36 or 0x5c). */
static void keyed(lib_digest_t *d, const lib_digest_algo_t *a,
                  const uint8_t *key, uint8_t pad)
{
    uint8_t block[LIB_DIGEST_BLOCK];
    for (int i = 0; i < LIB_DIGEST_BLOCK; i++)
        block[i] = key[i] ^ pad;
    lib_digest_init(d, a);
    lib_digest_update(d, block, sizeof block);
}

void lib_digest_hmac_init(lib_digest_hmac_t *h, const lib_digest_algo_t *a,
                          const void *key, size_t keylen)
{
    memset(h->key, 0, sizeof h->key);
    if (keylen > LIB_DIGEST_BLOCK) {
        lib_digest_init(&h->inner, a);
        lib_digest_update(&h->inner, key, keylen);
        lib_digest_final(&h->inner, h->key);
    } else if (keylen > 0) {
        memcpy(h->key, key, keylen);
    }
    keyed(&h->inner, a, h->key, 0x36);
}

void lib_digest_hmac_update(lib_digest_hmac_t *h, const void *data,
                            size_t n)
{
    lib_digest_update(&h->inner, data, n);
}

void lib_digest_hmac_final(lib_digest_hmac_t *h, uint8_t *out)
{
    const lib_digest_algo_t *a = h->inner.algo;
    uint8_t inner[LIB_DIGEST_MAX];
    lib_digest_t outer;
    lib_digest_final(&h->inner, inner);
    keyed(&outer, a, h->key, 0x5c);
    lib_digest_update(&outer, inner, a->size);
    lib_digest_final(&outer, out);
    keyed(&h->inner, a, h->key, 0x36);
}
