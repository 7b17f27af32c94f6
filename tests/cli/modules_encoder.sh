#!/bin/bash
# tests/cli/modules_encoder.sh: NodeMCU's encoder module in nodemcu-sim,
# float and integer VM: RFC 4648 §10's test vectors for base64 and base16,
# then strings Debian's python3 draws (fixed seed) and encodes with its
# base64 and binascii modules, and candidate base64/hex texts python3
# decodes strictly (binascii.a2b_base64 strict_mode, a2b_hex): what it
# refuses must raise NodeMCU's "Invalid base64 string" / "Invalid hex
# string", what it accepts must decode to its bytes. Env: BINDIR. PASS/FAIL
# lines.
set -u
CLI_PREFIX=modules_encoder
# shellcheck source=tests/cli/modules.bash
. "$(dirname "$0")/modules.bash"

# -- RFC 4648 §10 ------------------------------------------------------------
cat >"$T/rfc4648.lua" <<'EOF'
for _, s in ipairs({"", "f", "fo", "foo", "foob", "fooba", "foobar"}) do
    local b64, hex = encoder.toBase64(s), encoder.toHex(s)
    print(s, b64, hex, encoder.fromBase64(b64), encoder.fromHex(hex))
end
EOF
tab=$(printf '\t')
cat >"$T/rfc4648.want" <<EOF
$tab$tab$tab$tab
f${tab}Zg==${tab}66${tab}f${tab}f
fo${tab}Zm8=${tab}666f${tab}fo${tab}fo
foo${tab}Zm9v${tab}666f6f${tab}foo${tab}foo
foob${tab}Zm9vYg==${tab}666f6f62${tab}foob${tab}foob
fooba${tab}Zm9vYmE=${tab}666f6f6261${tab}fooba${tab}fooba
foobar${tab}Zm9vYmFy${tab}666f6f626172${tab}foobar${tab}foobar
EOF

# -- python3's encodings and strict decodings ---------------------------------
"$PY" - "$T" <<'EOF' || fail setup "python3 failed"
import base64, binascii, random
from modules import emit, lua, show, write

rnd = random.Random(4648)

for n in list(range(0, 20)) + [255, 256, 257, 300, 767, 1000]:
    b = bytes(rnd.randrange(256) for _ in range(n))
    b64 = base64.b64encode(b).decode()
    hx = binascii.hexlify(b).decode()
    emit("encode", "local s = %s" % lua(b), None)
    show("encode", "encoder.toBase64(s), encoder.toHex(s)", b64 + "\t" + hx)
    show("encode", "encoder.fromBase64(%r) == s, encoder.fromHex(%r) == s,"
         " encoder.fromHex(%r) == s" % (b64, hx, hx.upper()),
         "true\ttrue\ttrue")

def decode_cases(alphabet, decode, lengths, fixed):
    cases = list(fixed)
    for n in lengths:
        for _ in range(12):
            cases.append("".join(rnd.choice(alphabet) for _ in range(n)))
    result = []
    for c in cases:
        try:
            result.append((c, decode(c.encode()).hex()))
        except (binascii.Error, ValueError):
            result.append((c, None))
    return result

# strict_mode lets extra '=' follow the data ("QUJD=", "QUJD====" are
# "ABC"); RFC 4648 §4 pads the last quantum only, with one or two '=', to
# a multiple of 4 characters, so those are refused too.
def a2b_base64(s):
    if len(s) % 4 or len(s) - len(s.rstrip(b"=")) > 2:
        raise ValueError("padding")
    return binascii.a2b_base64(s, strict_mode=True)

b64 = decode_cases("QUJgw+/=", a2b_base64,
                   [1, 2, 3, 4, 5, 8, 12],
                   ["", "QQ==", "QR==", "QUI=", "QUJ=", "Q===", "====", "QQ=",
                    "QQ", "QQ==QQ==", "A=B=", "AB=C", "=QQQ", "QQ=A",
                    "Zm9v YmFy", "Zm9v\nYmFy", "Zm9vYmFy", "Zm9vYmE=", "Zm9-",
                    "Zm9_", "Zm\0v", "Zm9v\xff", "QUJD=", "QUJD===="])
hexs = decode_cases("0aF9cC", binascii.a2b_hex, [1, 2, 3, 4, 6],
                    ["", "0", "00", "fF", "Ff0", "0g", " 0", "abcdef",
                     "ABCDEF", "0x", "gg", "0\n", "\0\0"])

for fn, cases, msg in [("fromBase64", b64, "Invalid base64 string"),
                       ("fromHex", hexs, "Invalid hex string")]:
    for c, hx in cases:
        emit("decode", "try(function() return encoder.toHex(encoder.%s(%s))"
             " end)" % (fn, lua(c.encode())), msg if hx is None else hx)
write()
EOF

# -- arguments ----------------------------------------------------------------
cat >"$T/args.lua" <<'EOF'
try(function() return encoder.toBase64() end)
try(function() return encoder.fromBase64(nil) end)
try(function() return encoder.toHex({}) end)
try(function() return encoder.fromHex(true) end)
try(function() return encoder.toHex(255) end)
try(function() return encoder.toBase64(12) end)
at(function() return encoder.fromBase64("abc") end)
print(require("encoder") == encoder)
EOF
cat >"$T/args.want" <<'EOF'
bad argument #1 to 'toBase64' (string expected, got no value)
bad argument #1 to 'fromBase64' (string expected, got nil)
bad argument #1 to 'toHex' (string expected, got table)
bad argument #1 to 'fromHex' (string expected, got boolean)
323535
MTI=
7: Invalid base64 string
true
EOF
both_vms rfc4648 args
sim_groups
