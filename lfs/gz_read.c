/*
** gz_read.c: our own inflater for the gzip container of relocatable LFS
** images (RFC 1951/1952, no zlib), enforcing exactly the ESP8266 loader's
** rules, and the CRC-32 it checks. Bounded memory: a gz_inflate_t holds
** a 16 KiB + 2 KiB history ring, a 1 KiB read buffer and the Huffman
** tables of one block; output is pushed in 2 KiB blocks. Usable in the
** firmware loader as it is in host tools.
** Spec: docs/lfs51.md §4.1 (what the firmware accepts), §5.2 (reload pass 1).
** Twin: gz_write.c. May call: lfs_buf, lfs_diag, libc (never zlib).
**
** Rules enforced, in the loader's order:
**   file length > 200 bytes; gzip magic 1f 8b, CM 8, reserved flags 0;
**   FEXTRA, FNAME, FCOMMENT, FHCRC skipped (the FHCRC is not checked, as
**   on the device); stored, fixed and dynamic blocks, any number;
**   back-reference distance <= 16384 and < bytes produced so far (the
**   device rejects a reference to output byte 0, which deflate allows);
**   the trailer ends the file (the loader reads ISIZE from the last 4
**   bytes); ISIZE exact; CRC-32 exact.
** Huffman code sets follow zlib's rules: over-subscribed sets and
** incomplete ones are rejected, except a single 1-bit code (and no codes
** at all for distances). The device is laxer there; we never accept
** what it rejects.
*/
#include "lfs/gz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CRC-32 ------------------------------------------------------------ */

/* crc_table[i]: i shifted through 8 rounds of the reflected polynomial
** 0xEDB88320; generated once, kept const so the firmware keeps it in
** flash. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u,
    0x706af48fu, 0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u,
    0xe0d5e91eu, 0x97d2d988u, 0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u,
    0x90bf1d91u, 0x1db71064u, 0x6ab020f2u, 0xf3b97148u, 0x84be41deu,
    0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u, 0x136c9856u,
    0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u,
    0xa2677172u, 0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu,
    0x35b5a8fau, 0x42b2986cu, 0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u,
    0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u, 0x26d930acu, 0x51de003au,
    0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u, 0xcfba9599u,
    0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u,
    0x01db7106u, 0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu,
    0x9fbfe4a5u, 0xe8b8d433u, 0x7807c9a2u, 0x0f00f934u, 0x9609a88eu,
    0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du, 0x91646c97u, 0xe6635c01u,
    0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu, 0x6c0695edu,
    0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u,
    0xfbd44c65u, 0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u,
    0x4adfa541u, 0x3dd895d7u, 0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au,
    0x346ed9fcu, 0xad678846u, 0xda60b8d0u, 0x44042d73u, 0x33031de5u,
    0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau, 0xbe0b1010u,
    0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u,
    0x2eb40d81u, 0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u,
    0x03b6e20cu, 0x74b1d29au, 0xead54739u, 0x9dd277afu, 0x04db2615u,
    0x73dc1683u, 0xe3630b12u, 0x94643b84u, 0x0d6d6a3eu, 0x7a6a5aa8u,
    0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u, 0xf00f9344u,
    0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au,
    0x67dd4accu, 0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u,
    0xd6d6a3e8u, 0xa1d1937eu, 0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u,
    0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu, 0xd80d2bdau, 0xaf0a1b4cu,
    0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u, 0x316e8eefu,
    0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu,
    0xb2bd0b28u, 0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u,
    0x2cd99e8bu, 0x5bdeae1du, 0x9b64c2b0u, 0xec63f226u, 0x756aa39cu,
    0x026d930au, 0x9c0906a9u, 0xeb0e363fu, 0x72076785u, 0x05005713u,
    0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u, 0x92d28e9bu,
    0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u,
    0x18b74777u, 0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu,
    0x8f659effu, 0xf862ae69u, 0x616bffd3u, 0x166ccf45u, 0xa00ae278u,
    0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u, 0xa7672661u, 0xd06016f7u,
    0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu, 0x40df0b66u,
    0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u,
    0xcdd70693u, 0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u,
    0x5d681b02u, 0x2a6f2b94u, 0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu,
    0x2d02ef8du,
};

uint32_t gz_crc32(uint32_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* ---- errors ------------------------------------------------------------ */

/* Record the first failure (at: byte offset in the file, or -1). */
static int fail(gz_inflate_t *z, long at, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(gz_inflate_t *z, long at, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (z->err)
        return z->err;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    z->err = code;
    if (z->d)
        lfs_fail(z->d, at, code, "%s", msg);
    return code;
}

/* ---- input ------------------------------------------------------------- */

/* File offset of the next unread byte. */
static size_t in_pos(const gz_inflate_t *z)
{
    return z->ibase_off + (size_t)(z->ip - z->ibase);
}

/* File offset of the byte holding the next unread bit. */
static long bit_pos(const gz_inflate_t *z)
{
    size_t pos = in_pos(z), held = (z->bitcnt + 7) / 8;
    return (long)(pos >= held ? pos - held : 0);
}

/* Make more input available; 0 (and an error) if there is none. */
static int refill(gz_inflate_t *z)
{
    size_t pos = in_pos(z), want = z->file_len - pos;
    int r;
    if (z->err)
        return 0;
    if (!z->read || pos >= z->file_len) {
        fail(z, (long)pos, LFS_EFORMAT, GZ_MSG_READ ": the file ends inside"
             " the %s at byte 0x%zx; it is cut short, copy it again",
             z->where, pos);
        return 0;
    }
    if (want > GZ_INBUF)
        want = GZ_INBUF;
    r = z->read(z->rctx, z->inbuf, want);
    if (r <= 0 || (size_t)r > want) {
        fail(z, (long)pos, LFS_EIO, GZ_MSG_READ ": reading %zu bytes at"
             " 0x%zx of a %zu-byte file gave %d; check the file system",
             want, pos, z->file_len, r);
        return 0;
    }
    z->ibase = z->ip = z->inbuf;
    z->iend = z->inbuf + r;
    z->ibase_off = pos;
    return 1;
}

/* The next byte; past the end of the input: 0, with the error set. */
static unsigned next_byte(gz_inflate_t *z)
{
    if (z->ip == z->iend && !refill(z))
        return 0;
    return *z->ip++;
}

/* The next n (<= 16) bits, LSB first. Leaves fewer than 8 bits buffered,
** so dropping them aligns to the next byte. */
static unsigned bits(gz_inflate_t *z, unsigned n)
{
    unsigned v;
    while (z->bitcnt < n) {
        z->bitbuf |= (uint32_t)next_byte(z) << z->bitcnt;
        z->bitcnt += 8;
    }
    v = (unsigned)(z->bitbuf & ((1u << n) - 1));
    z->bitbuf >>= n;
    z->bitcnt -= n;
    return v;
}

static void align_byte(gz_inflate_t *z)
{
    z->bitbuf = 0;
    z->bitcnt = 0;
}

/* ---- output ------------------------------------------------------------ */

/* Push ring[start, start + n) to the caller. */
static void push(gz_inflate_t *z, size_t start, size_t n)
{
    int r;
    if (z->err || n == 0)
        return;
    if (z->max_out && n > z->max_out - z->st.out_len) {
        fail(z, bit_pos(z), LFS_ELIMIT, "the image inflates to more than"
             " %zu bytes; it cannot fit, use a smaller image", z->max_out);
        return;
    }
    z->st.crc = gz_crc32(z->st.crc, z->ring + start, n);
    z->st.out_len += n;
    if (z->write && (r = z->write(z->wctx, z->ring + start, n)) < 0)
        fail(z, bit_pos(z), r, "output stopped at byte 0x%zx of the"
             " inflated image (%d)", z->st.out_len - n, r);
}

/* Bytes produced so far, pushed or still in the current block. */
static size_t produced(const gz_inflate_t *z)
{
    return z->st.out_len + z->wp % GZ_CHUNK;
}

const uint8_t *gz_inflate_peek(const gz_inflate_t *z, size_t off, size_t n)
{
    size_t end = z->st.out_len;
    if (off > end || n > end - off || end - off > GZ_MAX_DIST ||
        off % GZ_RING + n > GZ_RING)
        return NULL;
    return z->ring + off % GZ_RING;
}

static void put(gz_inflate_t *z, unsigned c)
{
    z->ring[z->wp++] = (uint8_t)c;
    if (z->wp % GZ_CHUNK == 0) {
        push(z, z->wp - GZ_CHUNK, GZ_CHUNK);
        if (z->wp == GZ_RING)
            z->wp = 0;
    }
}

/* Copy len bytes from dist back; the caller has checked dist. */
static void copy(gz_inflate_t *z, unsigned dist, unsigned len)
{
    size_t src = z->wp >= dist ? z->wp - dist : z->wp + GZ_RING - dist;
    while (len--) {
        unsigned c = z->ring[src];
        if (++src == GZ_RING)
            src = 0;
        put(z, c);
    }
}

/* ---- Huffman codes ----------------------------------------------------- */

enum { HUFF_OK, HUFF_OVER, HUFF_INCOMPLETE, HUFF_SINGLE, HUFF_EMPTY };

/* Build a canonical code from n code lengths (0..15; 0 = unused). */
static int build(gz_huff_t *h, const uint8_t *len, unsigned n)
{
    unsigned count[16] = {0}, next[16], codes = 0;
    int32_t left = 1, code = 0, index = 0;
    for (unsigned i = 0; i < n; i++)
        count[len[i]]++;
    for (int l = 1; l < 16; l++) {
        left = left * 2 - (int32_t)count[l];
        if (left < 0)
            return HUFF_OVER;
        codes += count[l];
    }
    for (int l = 1; l < 16; l++) {
        h->lim[l] = code + (int32_t)count[l];
        h->off[l] = index - code;
        next[l] = (unsigned)index;
        index += (int32_t)count[l];
        code = (code + (int32_t)count[l]) * 2;
    }
    for (unsigned i = 0; i < n; i++)
        if (len[i])
            h->sym[next[len[i]]++] = (uint16_t)i;
    if (left == 0)
        return HUFF_OK;
    if (codes == 0)
        return HUFF_EMPTY;
    return codes == 1 && count[1] == 1 ? HUFF_SINGLE : HUFF_INCOMPLETE;
}

/* The next symbol, or -1 for a bit string that is no code. */
static int decode(gz_inflate_t *z, const gz_huff_t *h)
{
    int32_t code = 0;
    for (int l = 1; l < 16; l++) {
        code |= (int32_t)bits(z, 1);
        if (code < h->lim[l])
            return h->sym[code + h->off[l]];
        code <<= 1;
    }
    return -1;
}

/* ---- blocks ------------------------------------------------------------ */

/* Length and distance symbols (RFC 1951 §3.2.5). */
static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};

#define CORRUPT "; the file is corrupt, rebuild the image or copy it again"

/* Check a back-reference against deflate and the device (§4.1). */
static int check_dist(gz_inflate_t *z, long at, unsigned dist)
{
    size_t have = produced(z);
    if (dist > have)
        return fail(z, at, LFS_EFORMAT, GZ_MSG_DICT ": back-reference"
                    " distance %u reaches before the start of the output"
                    " (%zu bytes so far)" CORRUPT, dist, have);
    if (dist > GZ_MAX_DIST)
        return fail(z, at, LFS_ELIMIT, GZ_MSG_DICT ": back-reference"
                    " distance %u exceeds the device's %u-byte history;"
                    " rebuild the image with luac.cross -f", dist,
                    GZ_MAX_DIST);
    if (dist == have)
        return fail(z, at, LFS_ELIMIT, GZ_MSG_DICT ": back-reference"
                    " distance %u reaches output byte 0, which the device's"
                    " inflater rejects; rebuild the image with luac.cross"
                    " -f", dist);
    if (dist > z->st.max_dist)
        z->st.max_dist = dist;
    return 0;
}

/* Literals and matches up to end-of-block, with z->lit and z->dist. */
static void codes(gz_inflate_t *z)
{
    for (;;) {
        long at = bit_pos(z);
        int sym = decode(z, &z->lit);
        unsigned len, dist;
        if (z->err)
            return;
        if (sym < 0) {
            fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": invalid literal/length"
                 " code" CORRUPT);
            return;
        }
        if (sym < 256) {
            put(z, (unsigned)sym);
            continue;
        }
        if (sym == 256)
            return;
        sym -= 257;
        if (sym >= 29) {
            fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": length symbol %d is"
                 " reserved" CORRUPT, sym + 257);
            return;
        }
        len = len_base[sym] + bits(z, len_extra[sym]);
        at = bit_pos(z);
        sym = decode(z, &z->dist);
        if (z->err)
            return;
        if (sym < 0 || sym >= 30) {
            fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": invalid distance code"
                 CORRUPT);
            return;
        }
        dist = dist_base[sym] + bits(z, dist_extra[sym]);
        if (z->err || check_dist(z, at, dist))
            return;
        copy(z, dist, len);
    }
}

static void stored(gz_inflate_t *z)
{
    size_t at;
    unsigned len, nlen;
    align_byte(z);
    at = in_pos(z);
    len = next_byte(z);
    len |= next_byte(z) << 8;
    nlen = next_byte(z);
    nlen |= next_byte(z) << 8;
    if (z->err)
        return;
    if (len != (~nlen & 0xffffu)) {
        fail(z, (long)at, LFS_EFORMAT, GZ_MSG_READ ": stored block LEN"
             " 0x%04x does not match NLEN 0x%04x" CORRUPT, len, nlen);
        return;
    }
    while (len-- && !z->err)
        put(z, next_byte(z));
}

static void fixed(gz_inflate_t *z)
{
    uint8_t len[288];
    memset(len, 8, 144);
    memset(len + 144, 9, 112);
    memset(len + 256, 7, 24);
    memset(len + 280, 8, 8);
    build(&z->lit, len, 288);
    memset(len, 5, 32);
    build(&z->dist, len, 32);
    codes(z);
}

static void dynamic(gz_inflate_t *z)
{
    static const uint8_t order[19] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
    };
    static const char *const how[] = {
        "", "over-subscribed", "incomplete", "incomplete", "empty"
    };
    uint8_t len[286 + 30];
    long at = bit_pos(z);
    unsigned nlen = bits(z, 5) + 257, ndist = bits(z, 5) + 1;
    unsigned ncode = bits(z, 4) + 4, i;
    int r;
    if (z->err)
        return;
    if (nlen > 286 || ndist > 30) {
        fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": dynamic block declares %u"
             " literal/length and %u distance codes, more than 286 and 30"
             CORRUPT, nlen, ndist);
        return;
    }
    memset(len, 0, 19);
    for (i = 0; i < ncode; i++)
        len[order[i]] = (uint8_t)bits(z, 3);
    if (z->err)
        return;
    if ((r = build(&z->lit, len, 19)) != HUFF_OK) {
        fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": dynamic block code-length"
             " code is %s" CORRUPT, how[r]);
        return;
    }
    for (i = 0; i < nlen + ndist;) {
        long sat = bit_pos(z);
        int sym = decode(z, &z->lit);
        unsigned rep, v = 0;
        if (z->err)
            return;
        if (sym < 0) {
            fail(z, sat, LFS_EFORMAT, GZ_MSG_READ ": invalid code-length"
                 " code" CORRUPT);
            return;
        }
        if (sym < 16) {
            len[i++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (i == 0) {
                fail(z, sat, LFS_EFORMAT, GZ_MSG_READ ": dynamic block"
                     " repeats a code length before the first one"
                     CORRUPT);
                return;
            }
            v = len[i - 1];
            rep = 3 + bits(z, 2);
        } else if (sym == 17) {
            rep = 3 + bits(z, 3);
        } else {
            rep = 11 + bits(z, 7);
        }
        if (z->err)
            return;
        if (rep > nlen + ndist - i) {
            fail(z, sat, LFS_EFORMAT, GZ_MSG_READ ": dynamic block code"
                 " lengths run past the %u declared" CORRUPT, nlen + ndist);
            return;
        }
        while (rep--)
            len[i++] = (uint8_t)v;
    }
    if (len[256] == 0) {
        fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": dynamic block has no"
             " end-of-block code" CORRUPT);
        return;
    }
    r = build(&z->lit, len, nlen);
    if (r != HUFF_OK && r != HUFF_SINGLE) {
        fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": dynamic block literal/length"
             " code is %s" CORRUPT, how[r]);
        return;
    }
    r = build(&z->dist, len + nlen, ndist);
    if (r != HUFF_OK && r != HUFF_SINGLE && r != HUFF_EMPTY) {
        fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": dynamic block distance"
             " code is %s" CORRUPT, how[r]);
        return;
    }
    codes(z);
}

/* ---- gzip container ---------------------------------------------------- */

static void skip_bytes(gz_inflate_t *z, size_t n)
{
    while (n-- && !z->err)
        next_byte(z);
}

static void skip_string(gz_inflate_t *z)
{
    while (next_byte(z) != 0 && !z->err)
        ;
}

static void header(gz_inflate_t *z)
{
    uint8_t h[10];
    z->where = "gzip header";
    for (int i = 0; i < 10; i++)
        h[i] = (uint8_t)next_byte(z);
    if (z->err)
        return;
    if (h[0] != GZ_ID1 || h[1] != GZ_ID2) {
        fail(z, 0, LFS_EFORMAT, GZ_MSG_READ ": not a gzip file (it starts"
             " %02x %02x, not 1f 8b); the loader takes luac.cross -f"
             " images, not -a ones", h[0], h[1]);
        return;
    }
    if (h[2] != GZ_CM_DEFLATE) {
        fail(z, 2, LFS_EFORMAT, GZ_MSG_READ ": gzip compression method is"
             " %u, not 8 (deflate); rebuild the image with luac.cross -f",
             h[2]);
        return;
    }
    if (h[3] & GZ_FRESERVED) {
        fail(z, 3, LFS_EFORMAT, GZ_MSG_READ ": gzip flags 0x%02x set"
             " reserved bits 0x%02x" CORRUPT, h[3], h[3] & GZ_FRESERVED);
        return;
    }
    if (h[3] & GZ_FEXTRA) {
        size_t xlen;
        z->where = "gzip FEXTRA field";
        xlen = next_byte(z);
        xlen |= next_byte(z) << 8;
        skip_bytes(z, xlen);
    }
    if (h[3] & GZ_FNAME) {
        z->where = "gzip FNAME field";
        skip_string(z);
    }
    if (h[3] & GZ_FCOMMENT) {
        z->where = "gzip FCOMMENT field";
        skip_string(z);
    }
    if (h[3] & GZ_FHCRC) {
        z->where = "gzip FHCRC field";
        skip_bytes(z, 2);
    }
    z->st.header_len = in_pos(z);
}

static void trailer(gz_inflate_t *z)
{
    size_t at, n = z->st.out_len;     /* all of it is pushed by now */
    uint32_t crc = 0, isize = 0;
    align_byte(z);
    z->where = "gzip trailer";
    at = in_pos(z);
    for (int i = 0; i < 32; i += 8)
        crc |= (uint32_t)next_byte(z) << i;
    for (int i = 0; i < 32; i += 8)
        isize |= (uint32_t)next_byte(z) << i;
    if (z->err)
        return;
    if (in_pos(z) != z->file_len) {
        fail(z, (long)in_pos(z), LFS_EFORMAT, GZ_MSG_READ ": %zu bytes"
             " follow the gzip trailer; the loader reads ISIZE from the"
             " last 4 bytes of the file, remove them",
             z->file_len - in_pos(z));
        return;
    }
    if (isize != (uint32_t)n) {
        fail(z, (long)at + 4, LFS_EFORMAT, GZ_MSG_READ ": gzip ISIZE is %u"
             " but the data inflates to %zu bytes; the loader sizes the"
             " image from ISIZE" CORRUPT, isize, n);
        return;
    }
    if (crc != z->st.crc)
        fail(z, (long)at, LFS_EFORMAT, GZ_MSG_CRC ": CRC 0x%08x expected"
             " 0x%08x" CORRUPT, z->st.crc, crc);
}

/* ---- API --------------------------------------------------------------- */

void gz_inflate_init(gz_inflate_t *z, size_t file_len, gz_read_fn read,
                     void *rctx, gz_write_fn write, void *wctx)
{
    memset(z, 0, offsetof(gz_inflate_t, lit));
    z->read = read;
    z->rctx = rctx;
    z->ip = z->iend = z->ibase = z->inbuf;
    z->file_len = file_len;
    z->where = "gzip header";
    z->write = write;
    z->wctx = wctx;
}

void gz_inflate_init_mem(gz_inflate_t *z, const uint8_t *gz, size_t n,
                         gz_write_fn write, void *wctx)
{
    static const uint8_t none[1];
    gz_inflate_init(z, n, NULL, NULL, write, wctx);
    if (!gz)
        gz = none, n = 0;
    z->ip = z->ibase = gz;
    z->iend = gz + n;
    z->file_len = n;
}

int gz_inflate_run(gz_inflate_t *z, size_t max_out, lfs_diag_t *d)
{
    unsigned final, type;
    z->d = d;
    z->max_out = max_out;
    if (z->err)
        return z->err;
    if (z->file_len < GZ_MIN_FILE)
        return fail(z, -1, LFS_ELIMIT, GZ_MSG_READ ": the file is %zu bytes"
                    " but the loader needs more than %u; pad the gzip"
                    " header (gz_write does)", z->file_len, GZ_MIN_FILE - 1);
    header(z);
    z->where = "deflate stream";
    while (!z->err) {
        long at = bit_pos(z);
        final = bits(z, 1);
        type = bits(z, 2);
        if (z->err)
            break;
        z->st.blocks++;
        if (type == 0) {
            z->st.stored++;
            stored(z);
        } else if (type == 1) {
            z->st.fixed++;
            fixed(z);
        } else if (type == 2) {
            z->st.dynamic++;
            dynamic(z);
        } else {
            fail(z, at, LFS_EFORMAT, GZ_MSG_READ ": deflate block type 3"
                 " is reserved" CORRUPT);
        }
        if (final)
            break;
    }
    if (!z->err)
        push(z, z->wp - z->wp % GZ_CHUNK, z->wp % GZ_CHUNK);
    if (!z->err)
        trailer(z);
    return z->err;
}

struct buf_sink {
    lfs_buf_t *out;
    lfs_diag_t *d;
};

static int buf_write(void *ctx, const uint8_t *p, size_t n)
{
    struct buf_sink *s = ctx;
    lfs_buf_put(s->out, p, n);
    if (!s->out->err)
        return 0;
    return lfs_fail(s->d, -1, LFS_ENOMEM, "out of memory for the inflated"
                    " image (%zu bytes); free some memory", s->out->len);
}

int gz_inflate_buf_stats(const uint8_t *gz, size_t n, size_t max_out,
                         lfs_buf_t *out, gz_stats_t *st, lfs_diag_t *d)
{
    struct buf_sink sink = { out, d };
    size_t len0 = out->len;
    int err0 = out->err, r;
    gz_inflate_t *z = malloc(sizeof *z);
    if (st)
        memset(st, 0, sizeof *st);
    if (!z)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory for the"
                        " inflater; free some memory");
    gz_inflate_init_mem(z, gz, n, buf_write, &sink);
    r = gz_inflate_run(z, max_out, d);
    if (st)
        *st = z->st;
    free(z);
    if (r) {
        out->len = len0 < out->len ? len0 : out->len;
        out->err = err0;
    }
    return r;
}

int gz_inflate_buf(const uint8_t *gz, size_t n, size_t max_out,
                   lfs_buf_t *out, lfs_diag_t *d)
{
    return gz_inflate_buf_stats(gz, n, max_out, out, NULL, d);
}
