#!/bin/bash
# tests/cli/modules_bit.sh: NodeMCU's bit module in nodemcu-sim, float and
# integer VM. Debian's python3 draws operands (fixed seed) and computes
# each result with its own integers, reduced to int32 as NodeMCU's
# lua_Integer is (shift counts and positions mod 32, float operands
# truncated and saturated to int32 as luaL_checkinteger does on the
# device); the simulator runs the same calls, one print each. Then the
# argument errors, worded as lua5.1's luaL_argerror. Env: BINDIR. PASS/FAIL
# lines.
set -u
CLI_PREFIX=modules_bit
# shellcheck source=tests/cli/modules.bash
. "$(dirname "$0")/modules.bash"

# Groups (modules.py): logic, shift, positions in both VMs; float_operands
# (not int32) in the float VM only.
"$PY" - "$T" <<'EOF' || fail setup "python3 failed"
import random
from modules import M, s32, lua, show, write

rnd = random.Random(20240)

def word(x):    # luaL_checkinteger on the device: toward zero, saturated
    return max(-2**31, min(2**31 - 1, int(x)))

words = [0, 1, -1, 2, 0x7FFFFFFF, -0x80000000, 0x12345678, -0x12345678,
         0xFF, 0x80, 0x55AA55AA, -0x55AA55AB]
words += [rnd.randint(-2**31, 2**31 - 1) for _ in range(20)]
counts = [0, 1, 4, 7, 8, 15, 16, 30, 31, 32, 33, 63, 64, -1, -31, -32]
OPS = {"band": lambda x, y: x & y, "bor": lambda x, y: x | y,
       "bxor": lambda x, y: x ^ y}

def fold(name, xs):
    r = xs[0]
    for x in xs[1:]:
        r = OPS[name](r, x)
    show("logic", "bit.%s(%s)" % (name, ", ".join(map(str, xs))), s32(r))

for i, a in enumerate(words):
    b = words[(i * 7 + 3) % len(words)]
    c = words[(i * 5 + 1) % len(words)]
    show("logic", "bit.bnot(%d)" % a, s32(~a))
    for name in OPS:
        fold(name, [a])
        fold(name, [a, b])
        fold(name, [a, b, c, s32(1 << i)])

for a in words[:16]:
    for n in counts:
        k = n & 31
        show("shift", "bit.lshift(%d, %d)" % (a, n), s32(a << k))
        show("shift", "bit.rshift(%d, %d)" % (a, n), s32((a & M) >> k))
        show("shift", "bit.arshift(%d, %d)" % (a, n), s32(a >> k))

for n in counts + list(range(2, 31, 3)):
    show("positions", "bit.bit(%d)" % n, s32(1 << (n & 31)))
for i, a in enumerate(words):
    ps = [counts[(i + j * 3) % len(counts)] for j in range(3)]
    mask = sum(1 << p for p in set(q & 31 for q in ps))
    args = ", ".join(map(str, ps))
    show("positions", "bit.set(%d)" % a, s32(a))
    show("positions", "bit.set(%d, %s)" % (a, args), s32(a | mask))
    show("positions", "bit.clear(%d, %s)" % (a, args), s32(a & ~mask))
    for n in ps:
        on = (a >> (n & 31)) & 1 == 1
        show("positions", "bit.isset(%d, %d)" % (a, n), str(on).lower())
        show("positions", "bit.isclear(%d, %d)" % (a, n),
             str(not on).lower())

# Float VM only: operands beyond int32, fractions and numeric strings.
for x in [4294967295, 2**31, 2**40, -2**31 - 1, -2**40, 3.75, -3.75,
          0.5, -0.5, 1e300, -1e300]:
    show("float_operands", "bit.band(%s, -1)" % lua(float(x)), word(x),
         False)
    show("float_operands", "bit.bnot(%s)" % lua(float(x)), s32(~word(x)),
         False)
    show("float_operands", "bit.rshift(%s, 4)" % lua(float(x)),
         s32((word(x) & M) >> 4), False)
show("float_operands", "bit.lshift(1, 33.9)", 2, False)
show("float_operands", 'bit.bor("0x10", "3")', 0x13, False)
show("float_operands", 'bit.isset(6, "2")', "true", False)
write()
EOF

# -- errors: lua5.1's argument messages, positioned at the caller -------------
cat >"$T/errors.lua" <<'EOF'
try(function() return bit.band() end)
try(function() return bit.bor(1, nil) end)
try(function() return bit.bxor(1, 2, {}) end)
try(function() return bit.bnot("x") end)
try(function() return bit.lshift(1) end)
try(function() return bit.arshift(nil, 1) end)
try(function() return bit.bit() end)
try(function() return bit.set(1, 2, true) end)
try(function() return bit.clear() end)
try(function() return bit.isset(1) end)
try(function() return bit.isclear(nil, 1) end)
at(function() return bit.rshift(1, "y") end)
print(require("bit") == bit, type(bit.band))
EOF
cat >"$T/errors.want" <<'EOF'
bad argument #1 to 'band' (number expected, got no value)
bad argument #2 to 'bor' (number expected, got nil)
bad argument #3 to 'bxor' (number expected, got table)
bad argument #1 to 'bnot' (number expected, got string)
bad argument #2 to 'lshift' (number expected, got no value)
bad argument #1 to 'arshift' (number expected, got nil)
bad argument #1 to 'bit' (number expected, got no value)
bad argument #3 to 'set' (number expected, got boolean)
bad argument #1 to 'clear' (number expected, got no value)
bad argument #2 to 'isset' (number expected, got no value)
bad argument #1 to 'isclear' (number expected, got nil)
12: bad argument #2 to 'rshift' (number expected, got string)
true	function
EOF
both_vms errors
sim_groups
