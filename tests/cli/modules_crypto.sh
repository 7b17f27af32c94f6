#!/bin/bash
# tests/cli/modules_crypto.sh: the crypto library on nodemcu-sim, float
# and integer VM. Published vectors: RFC 1321's MD5 suite, FIPS 180-2's
# SHA-1 and SHA-256 examples (the million 'a' through new_hash), RFC 2202
# (HMAC-MD5, HMAC-SHA1) and RFC 4231 (HMAC-SHA256) test cases, RFC 4648
# base64. Debian's python3 (hashlib, hmac, base64) as the reference on
# pseudo-random messages of every length 0..200 (the block boundaries
# 55/56/63/64/65 and their doubles) with keys of 0..149 bytes: hash,
# hmac, new_hash/new_hmac fed in pieces, toBase64, mask; fhash over files
# of a SPIFFS (crypto.fhash through the file library). Errors as
# NodeMCU words them. Env: BINDIR. PASS/FAIL lines.
set -u
CLI_PREFIX=crypto
# shellcheck source=tests/cli/modules.bash
. "$(cd "$(dirname "$0")" && pwd)/modules.bash"
FI="$BIN/flashimg"
exec </dev/null
export LC_ALL=C

# -- published vectors ---------------------------------------------------------
cat >"$T/vectors.lua" <<'LUA'
local function hx(s)
    return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end))
end
local function out(name, d) print(name .. " " .. crypto.toHex(d)) end
local H = crypto.hash
out("md5_1", H("MD5", ""))
out("md5_2", H("MD5", "a"))
out("md5_3", H("MD5", "abc"))
out("md5_4", H("MD5", "message digest"))
out("md5_5", H("MD5", "abcdefghijklmnopqrstuvwxyz"))
out("md5_6", H("MD5",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
out("md5_7", H("MD5", string.rep("1234567890", 8)))
local two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
out("sha1_abc", H("SHA1", "abc"))
out("sha1_448", H("SHA1", two))
out("sha256_abc", H("SHA256", "abc"))
out("sha256_448", H("SHA256", two))
local function million(algo)
    local o, k = crypto.new_hash(algo), string.rep("a", 1000)
    for _ = 1, 1000 do o:update(k) end
    return o:finalize()
end
out("sha1_million", million("sha1"))
out("sha256_million", million("sha256"))
out("md5_million", million("md5"))
local L1 = "Test Using Larger Than Block-Size Key - Hash Key First"
local L2 = "Test Using Larger Than Block-Size Key and Larger Than One " ..
           "Block-Size Data"
local L3 = "This is a test using a larger than block-size key and a " ..
    "larger than block-size data. The key needs to be hashed before " ..
    "being used by the HMAC algorithm."
local k25 = hx("0102030405060708090a0b0c0d0e0f10111213141516171819")
local R = string.rep
local cases = {
    { "b", 16, 20, "Hi There" },
    { "Jefe", 0, 0, "what do ya want for nothing?" },
    { "\170", 16, 20, R("\221", 50) },
    { k25, 0, 0, R("\205", 50) },
    { "\12", 16, 20, "Test With Truncation" },
    { "\170", 80, 131, L1 },
}
for _, algo in ipairs({ "md5", "sha1", "sha256" }) do
    for i, c in ipairs(cases) do
        local key = c[1]
        if c[2] > 0 then
            key = R(key == "b" and "\11" or key,
                    algo == "md5" and c[2] or
                    (algo == "sha1" and i ~= 6) and c[3] or
                    algo == "sha1" and 80 or c[3])
        end
        local mac = crypto.hmac(algo, c[4], key)
        if algo == "sha256" and i == 5 then mac = mac:sub(1, 16) end
        out("hmac_" .. algo .. "_" .. i, mac)
    end
    local k7 = R("\170", algo == "sha256" and 131 or 80)
    out("hmac_" .. algo .. "_7",
        crypto.hmac(algo, algo == "sha256" and L3 or L2, k7))
end
for _, s in ipairs({ "", "f", "fo", "foo", "foob", "fooba", "foobar" }) do
    print("b64 [" .. s .. "] " .. crypto.toBase64(s))
end
print("hex " .. crypto.toHex("foobar"))
LUA
cat >"$T/vectors.want" <<'OUT'
md5_1 d41d8cd98f00b204e9800998ecf8427e
md5_2 0cc175b9c0f1b6a831c399e269772661
md5_3 900150983cd24fb0d6963f7d28e17f72
md5_4 f96b697d7cb7938d525a2f31aaf161d0
md5_5 c3fcd3d76192e4007dfb496cca67e13b
md5_6 d174ab98d277d9f5a5611c2c9f419d9f
md5_7 57edf4a22be3c955ac49da2e2107b67a
sha1_abc a9993e364706816aba3e25717850c26c9cd0d89d
sha1_448 84983e441c3bd26ebaae4aa1f95129e5e54670f1
sha256_abc ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
sha256_448 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1
sha1_million 34aa973cd4c4daa4f61eeb2bdbad27316534016f
sha256_million cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0
md5_million 7707d6ae4e027c70eea2a935c2296f21
hmac_md5_1 9294727a3638bb1c13f48ef8158bfc9d
hmac_md5_2 750c783e6ab0b503eaa86e310a5db738
hmac_md5_3 56be34521d144c88dbb8c733f0e8b3f6
hmac_md5_4 697eaf0aca3a3aea3a75164746ffaa79
hmac_md5_5 56461ef2342edc00f9bab995690efd4c
hmac_md5_6 6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd
hmac_md5_7 6f630fad67cda0ee1fb1f562db3aa53e
hmac_sha1_1 b617318655057264e28bc0b6fb378c8ef146be00
hmac_sha1_2 effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
hmac_sha1_3 125d7342b9ac11cd91a39af48aa17b4f63f175d3
hmac_sha1_4 4c9007f4026250c6bc8414f9bf50c86c2d7235da
hmac_sha1_5 4c1a03424b55e07fe7f27be1d58bb9324a9a5a04
hmac_sha1_6 aa4ae5e15272d00e95705637ce8a3b55ed402112
hmac_sha1_7 e8e99d0f45237d786d6bbaa7965c7808bbff1a91
hmac_sha256_1 b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7
hmac_sha256_2 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
hmac_sha256_3 773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe
hmac_sha256_4 82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b
hmac_sha256_5 a3b6167473100ee06e0c796c2955552b
hmac_sha256_6 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54
hmac_sha256_7 9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2
b64 [] 
b64 [f] Zg==
b64 [fo] Zm8=
b64 [foo] Zm9v
b64 [foob] Zm9vYg==
b64 [fooba] Zm9vYmE=
b64 [foobar] Zm9vYmFy
hex 666f6f626172
OUT
same vectors_float "$T/vectors.want" -- "$SIM" "$T/vectors.lua"
same vectors_int "$T/vectors.want" -- "$SIM" --int "$T/vectors.lua"

# -- python3 on pseudo-random messages -----------------------------------------
# The messages come from a generator both sides run (exact in int32 too):
# x = (75 x + 74) mod 65537, a byte is x mod 256. Pieces for the objects:
# (31 p + len) mod 70 + 1 bytes from offset p.
cat >"$T/random.lua" <<'LUA'
local x = 1
local function gen(n)
    local t = {}
    for i = 1, n do
        x = (x * 75 + 74) % 65537
        t[i] = string.char(x % 256)
    end
    return table.concat(t)
end
local hex = crypto.toHex
for _, algo in ipairs({ "md5", "SHA1", "Sha256" }) do
    for len = 0, 200 do
        local m = gen(len)
        local k = gen(len * 7 % 150)
        local o, h = crypto.new_hash(algo), crypto.new_hmac(algo, k)
        local p = 0
        while p < len do
            local n = (31 * p + len) % 70 + 1
            o:update(m:sub(p + 1, p + n))
            h:update(m:sub(p + 1, p + n))
            p = p + n
        end
        local so, sh = hex(o:finalize()), hex(h:finalize())
        h:update(m)
        local again = hex(h:finalize()) == sh and "again" or "differs"
        print(algo:lower(), len, hex(crypto.hash(algo, m)),
              hex(crypto.hmac(algo, m, k)), so, sh, again,
              crypto.toBase64(m), #k > 0 and hex(crypto.mask(m, k)) or "-")
    end
end
LUA
"$PY" - "$T/random.want" <<'PY'
import base64, hashlib, hmac, sys
x = 1
def gen(n):
    global x
    out = bytearray()
    for _ in range(n):
        x = (x * 75 + 74) % 65537
        out.append(x % 256)
    return bytes(out)
with open(sys.argv[1], "w") as f:
    for algo in ("md5", "sha1", "sha256"):
        for n in range(201):
            m = gen(n)
            k = gen(n * 7 % 150)
            d = hashlib.new(algo, m).hexdigest()
            mac = hmac.new(k, m, algo).hexdigest()
            mask = bytes(b ^ k[i % len(k)] for i, b in enumerate(m)).hex() \
                if k else "-"
            f.write("\t".join([algo, str(n), d, mac, d, mac, "again",
                               base64.b64encode(m).decode(), mask]) + "\n")
PY
same random_float "$T/random.want" -- "$SIM" "$T/random.lua"
same random_int "$T/random.want" -- "$SIM" --int "$T/random.lua"

# -- fhash over SPIFFS files -----------------------------------------------------
mkdir -p "$T/fs"
"$PY" - "$T/fs" "$T/fhash.want" <<'PY'
import hashlib, os, random, sys
rng = random.Random(4231)
sizes = [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 200, 1000, 4096, 10007]
with open(sys.argv[2], "w") as f:
    for i, n in enumerate(sizes):
        data = bytes(rng.randrange(256) for _ in range(n))
        name = "f%02d.bin" % i
        with open(os.path.join(sys.argv[1], name), "wb") as g:
            g.write(data)
        f.write("%s %s %s %s\n" % (name, hashlib.md5(data).hexdigest(),
                hashlib.sha1(data).hexdigest(),
                hashlib.sha256(data).hexdigest()))
    f.write("missing file does not exist\n")
PY
"$FI" compose -o "$T/fs.bin" --stand-in --flash-size 1M \
    --spiffs-dir "$T/fs" >/dev/null 2>&1 || fail setup "compose failed"
# The boot's own lines (no LFS, no init.lua) are left out.
"$SIM" --no-banner --flash "$T/fs.bin" -e '
local names = {}
for n in pairs(file.list()) do names[#names + 1] = n end
table.sort(names)
for _, n in ipairs(names) do
    print(n .. " " .. crypto.toHex(crypto.fhash("MD5", n)) .. " " ..
          crypto.toHex(crypto.fhash("sha1", n)) .. " " ..
          crypto.toHex(crypto.fhash("Sha256", n)))
end
local ok, e = pcall(crypto.fhash, "md5", "nosuch.bin")
print("missing " .. (ok and "found" or e))' >"$T/fhash.out" 2>&1
grep -E '^(f[0-9]|missing)' "$T/fhash.out" >"$T/fhash.got"
cmp -s "$T/fhash.got" "$T/fhash.want" && pass fhash ||
    fail fhash "$(diff "$T/fhash.want" "$T/fhash.got" | head -6 | tr '\n' '|')"

# -- errors ----------------------------------------------------------------------
cat >"$T/errors.want" <<'OUT'
unknown hash mech
unknown hash mech
unknown hash mech
bad argument #2 to 'hash' (string expected, got nil)
bad argument #3 to 'hmac' (string expected, got no value)
invalid argument: mask
bad argument #1 to 'update' (crypto.hash expected, got number)
bad argument #1 to 'update' (string expected, got no value)
file does not exist
userdata
OUT
same errors "$T/errors.want" -- "$SIM" -e '
local function try(f) local ok, e = pcall(f) print((e:gsub("^[^:]*:%d+: ", ""))) end
try(function() crypto.hash("sha512", "x") end)
try(function() crypto.new_hash("md4") end)
try(function() crypto.new_hmac("", "k") end)
try(function() crypto.hash("md5", nil) end)
try(function() crypto.hmac("md5", "x") end)
try(function() crypto.mask("abc", "") end)
local o = crypto.new_hash("md5")
try(function() o.update(5, "x") end)
try(function() o:update() end)
try(function() crypto.fhash("md5", "x") end)
print(type(o))'
