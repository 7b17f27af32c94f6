/*
** lib_encoder.c: the encoder library of NodeMCU's Lua 5.1 firmware, as the
** ROTable lib_encoder_tab: toBase64 and fromBase64 (RFC 4648's alphabet
** with '=' padding), toHex (lower case) and fromHex (either case). Each
** takes one string (numbers convert) and returns one; "" gives "".
**
** fromBase64 takes what NodeMCU's decoder takes: a length that is a
** multiple of 4, alphabet characters only, except one or two '=' at the
** end; the bits a padded quantum leaves over are ignored. Anything else
** raises "Invalid base64 string"; fromHex raises "Invalid hex string" for
** an odd length or a character that is not a hex digit.
** Spec: NodeMCU 3.0 docs/modules/encoder.md, app/modules/encoder.c;
** RFC 4648 §4 and §8. Twin: none. May call: vm.h, libc.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "firmware/lib/lib.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hexdigits[] = "0123456789abcdef";

/* The 6-bit value of a base64 character, or -1. */
static int b64_value(unsigned char c)
{
    const char *p = c != '\0' ? strchr(b64, c) : NULL;
    return p != NULL ? (int)(p - b64) : -1;
}

/* The 4-bit value of a hex digit, or -1. */
static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* ---- the conversions: s[0 .. n) into b, 0 or -1 for bad input ----------- */

static int to_base64(vm_Buffer *b, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        size_t left = n - i;
        uint32_t q = (uint32_t)s[i] << 16;
        if (left > 1)
            q |= (uint32_t)s[i + 1] << 8;
        if (left > 2)
            q |= s[i + 2];
        vm_addchar(b, b64[q >> 18]);
        vm_addchar(b, b64[(q >> 12) & 63]);
        vm_addchar(b, left > 1 ? b64[(q >> 6) & 63] : '=');
        vm_addchar(b, left > 2 ? b64[q & 63] : '=');
    }
    return 0;
}

static int from_base64(vm_Buffer *b, const unsigned char *s, size_t n)
{
    size_t pad = 0;
    if (n % 4 != 0)
        return -1;
    if (n > 0 && s[n - 1] == '=')
        pad = s[n - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < n - pad; i++)
        if (b64_value(s[i]) < 0)
            return -1;
    for (size_t i = 0; i < n; i += 4) {
        size_t out = i + 4 < n ? 3 : 3 - pad;   /* the last quantum */
        uint32_t q = 0;
        for (size_t k = 0; k < 4; k++) {
            int v = b64_value(s[i + k]);
            q = q << 6 | (uint32_t)(v < 0 ? 0 : v);     /* '=' is 0 */
        }
        for (size_t k = 0; k < out; k++)
            vm_addchar(b, (char)(q >> (16 - 8 * k)));
    }
    return 0;
}

static int to_hex(vm_Buffer *b, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vm_addchar(b, hexdigits[s[i] >> 4]);
        vm_addchar(b, hexdigits[s[i] & 15]);
    }
    return 0;
}

static int from_hex(vm_Buffer *b, const unsigned char *s, size_t n)
{
    if (n % 2 != 0)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        vm_addchar(b, (char)(hi << 4 | lo));
    }
    return 0;
}

/* encoder.f(s): conv of the string argument, or the error 'bad'. */
static int convert(vm_State *L,
                   int (*conv)(vm_Buffer *, const unsigned char *, size_t),
                   const char *bad)
{
    size_t n;
    const char *s = vm_checklstring(L, 1, &n);
    vm_Buffer b;
    vm_buffinit(L, &b);
    if (conv(&b, (const unsigned char *)s, n) != 0)
        return vm_errorf(L, "%s", bad);
    vm_pushresult(&b);
    return 1;
}

static int encoder_toBase64(vm_State *L)
{
    return convert(L, to_base64, NULL);
}

static int encoder_fromBase64(vm_State *L)
{
    return convert(L, from_base64, "Invalid base64 string");
}

static int encoder_toHex(vm_State *L)
{
    return convert(L, to_hex, NULL);
}

static int encoder_fromHex(vm_State *L)
{
    return convert(L, from_hex, "Invalid hex string");
}

const vm_roentry lib_encoder_tab[] = {
    VM_RO_F("fromBase64", encoder_fromBase64),
    VM_RO_F("fromHex", encoder_fromHex),
    VM_RO_F("toBase64", encoder_toBase64),
    VM_RO_F("toHex", encoder_toHex),
    VM_RO_END
};

