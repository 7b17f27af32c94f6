#!/bin/bash
# tests/cli/modules_struct.sh: NodeMCU's struct module in nodemcu-sim,
# float and integer VM, against Debian's python3 struct module. python3
# draws records (fixed seed: byte order, items, values), packs them with
# its standard sizes (NodeMCU's l, L, T, i and I are 4 bytes on the
# ESP8266; i8/I8 are q/Q; i3/I3 go through int.to_bytes) and writes both
# the Lua calls and the expected hex; the simulator packs the same values
# (pack), unpacks python's bytes (unpack: the values, then the next index)
# and sizes the format (size). Alignment ('!n') is checked against python
# formats with the padding written out ('x'), as C lays the struct out;
# the conversion of numbers (32-bit, saturating, up to 4 bytes; 64-bit
# above, tests/deviations/lib51-struct.md) against python's arithmetic;
# messages against NodeMCU's struct.c wording. Env: BINDIR. PASS/FAIL
# lines.
set -u
CLI_PREFIX=modules_struct
# shellcheck source=tests/cli/modules.bash
. "$(dirname "$0")/modules.bash"

# Groups (modules.py): records (in each VM its own), aligned, longs,
# strings, errors.
"$PY" - "$T" <<'EOF' || fail setup "python3 failed"
import random, struct
from modules import M, s32, lua, emit, show, write

rnd = random.Random(1996)

def rng(lo, hi):
    return lambda: rnd.randint(lo, hi)

def real():
    return rnd.choice([rnd.uniform(-1e6, 1e6), rnd.uniform(-1, 1),
                       rnd.randint(-100, 100) / 8.0, 1e-30, 0.0])

# NodeMCU code, python code (None: int.to_bytes), value generator
ITEMS = [("b", "b", rng(-128, 127)), ("B", "B", rng(0, 255)),
         ("h", "h", rng(-2**15, 2**15 - 1)), ("H", "H", rng(0, 2**16 - 1)),
         ("l", "i", rng(-2**31, 2**31 - 1)), ("L", "I", rng(0, M)),
         ("T", "I", rng(0, M)), ("i", "i", rng(-2**31, 2**31 - 1)),
         ("I", "I", rng(0, M)), ("i1", "b", rng(-128, 127)),
         ("I1", "B", rng(0, 255)), ("i2", "h", rng(-2**15, 2**15 - 1)),
         ("I2", "H", rng(0, 2**16 - 1)), ("i4", "i", rng(-2**31, 2**31 - 1)),
         ("I4", "I", rng(0, M)), ("i3", None, rng(-2**23, 2**23 - 1)),
         ("I3", None, rng(0, 2**24 - 1)), ("f", "f", real), ("d", "d", real),
         ("i8", "q", rng(-2**53, 2**53)), ("I8", "Q", rng(0, 2**53))]
FLOAT_ONLY = ("f", "d", "i8", "I8")

def pypack(item, endian, v):
    code, pc = item[0], item[1]
    if pc is None:
        return v.to_bytes(3, "little" if endian == "<" else "big",
                          signed=code == "i3")
    return struct.pack(endian + pc, v)

def shown(item, endian, v, integral):
    """v as print shows what unpack returns"""
    if item[0] in ("f", "d"):
        return "%.14g" % struct.unpack(endian + item[1],
                                       pypack(item, endian, v))[0]
    return str(s32(v)) if integral else "%.14g" % v

# -- random records: pack, unpack, size ----------------------------------------
for n in range(120):
    integral = n % 2
    endian = rnd.choice("<>")
    items = [rnd.choice([i for i in ITEMS
                         if not (integral and i[0] in FLOAT_ONLY)])
             for _ in range(rnd.randint(1, 6))]
    fmt = endian + " ".join(i[0] for i in items)
    vals = [i[2]() for i in items]
    data = b"".join(pypack(i, endian, v) for i, v in zip(items, vals))
    name = "records" + ("_int" if integral else "")
    # the integer VM writes 32-bit unsigned values as the int32 of the same
    # bits (its literals are int32)
    lits = [lua(s32(v) if integral and i[1] == "I" else v)
            for i, v in zip(items, vals)]
    show(name, "hex(struct.pack(%r, %s))" % (fmt, ", ".join(lits)),
         data.hex(), False)
    show(name, "struct.unpack(%r, %s)" % (fmt, lua(data)),
         "\t".join([shown(i, endian, v, integral)
                    for i, v in zip(items, vals)] + [str(len(data) + 1)]),
         False)
    show(name, "struct.size(%r)" % fmt, str(len(data)), False)

# -- alignment: python formats with the padding written out --------------------
ALIGNED = [("<!4 b i", "<b3xi", [-5, 123456]),
           ("<!4 b h", "<bxh", [1, -2]),
           ("<!2 b i", "<bxi", [1, 2]),
           ("<!1 b i", "<bi", [1, 2]),
           ("<b !4 i", "<b3xi", [7, -7]),
           (">!4 h c3 i", ">h3s3xi", [258, b"xyz", 9]),
           ("<!4 b x i", "<bx2xi", [1, 2]),
           ("<!4 i2 b i", "<hbxi", [-1, 2, 3]),
           ("<!8 b h b i b", "<bxhb3xib", [1, 2, 3, 4, 5]),
           ("<!4 b h !2 b i", "<bxhbxi", [1, 2, 3, 4]),
           ("<!4 b d", "<b3xd", [1, 2.5]),
           ("<! b d", "<b7xd", [1, -0.25]),
           ("<!8 b h b i b d", "<bxhb3xib3xd", [1, 2, 3, 4, 5, 6.5]),
           (">!16 b d", ">b7xd", [1, 1e100])]
for fmt, pyfmt, vals in ALIGNED:
    both = not any(isinstance(v, float) for v in vals)
    lits = [lua(v) for v in vals]
    data = struct.pack(pyfmt, *vals)
    show("aligned", "hex(struct.pack(%r, %s))" % (fmt, ", ".join(lits)),
         data.hex(), both)
    show("aligned", "struct.size(%r)" % fmt, str(struct.calcsize(pyfmt)),
         both)
    shown = ["%.14g" % v if isinstance(v, float) else
             v.decode() if isinstance(v, bytes) else str(v) for v in vals]
    show("aligned", "struct.unpack(%r, %s)" % (fmt, lua(data)),
         "\t".join(shown + [str(len(data) + 1)]), both)

# -- integers: the 32-bit conversion up to 4 bytes, 64 bits above -----------
def word(x):    # (long) for x < 0, else (unsigned long): toward 0, saturated
    if x < 0:
        return max(-2**31, int(x)) & M
    return min(M, int(x))

def nbytes(v, n):   # v in n bytes, two's complement, little-endian
    return (v % 2**(8 * n)).to_bytes(n, "little")

for x in [3.7, -3.7, 0.99, -0.99, 4294967296.0, 1e20, -3e9, -1e20,
          2147483648.0, 4294967295.0]:
    show("longs", "hex(struct.pack('<i', %s))" % lua(x),
         nbytes(word(x), 4).hex(), False)
for code, n, x in [("B", 1, 300), ("b", 1, -1), ("b", 1, 200), ("h", 2, 70000),
                   ("H", 2, -1), ("i3", 3, -2), ("I", 4, -1)]:
    show("longs", "hex(struct.pack('<%s', %d))" % (code, x),
         nbytes(word(x), n).hex())
    show("longs", "hex(struct.pack('>%s', %d))" % (code, x),
         nbytes(word(x), n)[::-1].hex())
# above 4 bytes (the float VM's): python3's q and Q, else int.to_bytes
for code, x, data in [
        ("i8", -1, struct.pack("<q", -1)),
        ("i8", -2**53, struct.pack("<q", -2**53)),
        ("i8", 2**62 + 2**40, struct.pack("<q", 2**62 + 2**40)),
        ("I8", 0x1234567, struct.pack("<Q", 0x1234567)),
        ("I8", 2**63 + 2**11, struct.pack("<Q", 2**63 + 2**11)),
        ("I8", 2**64, b"\xff" * 8),                 # saturated
        ("i8", -2**64, struct.pack("<q", -2**63)),  # saturated
        ("i5", -2, nbytes(-2, 5)), ("I6", 2**47 + 3, nbytes(2**47 + 3, 6)),
        ("i16", 0x7FFFFFFF, nbytes(0x7FFFFFFF, 16)),
        ("i16", -3, nbytes(-3, 16)), ("I32", -2, nbytes(-2, 32))]:
    show("longs", "hex(struct.pack('<%s', %s))" % (code, lua(float(x))),
         data.hex(), False)
    show("longs", "hex(struct.pack('>%s', %s))" % (code, lua(float(x))),
         data[::-1].hex(), False)
for code, data in [("i8", struct.pack("<q", -2)),
                   ("I8", struct.pack("<Q", 2**40 + 5)),
                   ("i8", struct.pack("<q", 2**31)),
                   ("q", struct.pack("<q", -2**53 + 1)),
                   ("Q", struct.pack("<Q", 2**53 - 1)),
                   ("I6", bytes(range(1, 7))), ("i5", b"\x80\0\0\0\0"),
                   ("i5", b"\0\0\0\0\x80"), ("i7", b"\0\0\x80\0\0\0\x81"),
                   ("i12", nbytes(-5, 12)), ("I12", nbytes(2**40, 12))]:
    n = len(data)
    v = int.from_bytes(data, "little", signed=code[0] in "iq")
    code = {"q": "i8", "Q": "I8"}.get(code, code)
    show("longs", "struct.unpack('<%s', %s)" % (code, lua(data)),
         "%.14g\t%d" % (v, n + 1), False)

# -- strings, padding, offsets -------------------------------------------------
show("strings", "hex(struct.pack('c3', 'abcdef'))", b"abc".hex())
show("strings", "hex(struct.pack('c0', 'abcdef'))", b"abcdef".hex())
show("strings", "hex(struct.pack('c', 'xy'))", b"x".hex())
show("strings", "hex(struct.pack('s', 'a\\0b'))", b"a\0b\0".hex())
show("strings", "hex(struct.pack('Bc0', 5, 'hello'))",
     struct.pack("B5s", 5, b"hello").hex())
show("strings", "hex(struct.pack('<sxh', 'ab', 258))",
     struct.pack("<2sxxh", b"ab", 258).hex())
show("strings", "struct.unpack('Bc0', '\\5helloworld')", "hello\t7")
show("strings", "struct.unpack('Bc0B', '\\2hi\\7')", "hi\t7\t5")
show("strings", "struct.unpack('s s', 'ab\\0\\0cd')", "ab\t\t5")
show("strings", "struct.unpack('c2c3', 'abcdef')", "ab\tcde\t6")
show("strings", "struct.unpack('<h', '\\1\\2\\3\\4\\5', 3)",
     "%d\t5" % struct.unpack("<h", b"\3\4")[0])
show("strings", "struct.unpack('xx<H', '\\1\\2\\3\\4')",
     "%d\t5" % struct.unpack("<H", b"\3\4")[0])
show("strings", "struct.unpack('b', '\\200\\1', 2)", "1\t3")
show("strings", "struct.unpack('', 'abc', 7)", "7")
show("strings", "struct.unpack('<I', '\\255\\255\\255\\255')",
     ("4294967295\t5", "-1\t5"))
show("strings", "struct.size('')", "0")
show("strings", "struct.size('< > !2  ')", "0")
show("strings", "struct.size('zq9i0')", "0")       # struct.c lets them pass
show("strings", "struct.size('c7 x')", "8")
show("strings", "struct.size('f d')", ("12", "0"))
show("strings", "require('struct') == struct", "true")
show("strings", "hex(struct.pack('', 1, 2))", "")
show("strings",
     "hex(struct.pack('c0 >I s', ('%d'):rep(100), 7, ('z'):rep(300)))",
     struct.pack(">200sI300sx", b"%d" * 100, 7, b"z" * 300).hex())

# -- errors: NodeMCU's struct.c and luaL_argerror --------------------------
def err(call, msg, both=True):
    emit("errors", "try(function() return %s end)" % call, msg, both)

err("struct.pack()",
    "bad argument #1 to 'pack' (string expected, got no value)")
err("struct.pack('i')", "bad argument #2 to 'pack' (number expected, got nil)")
err("struct.pack('iii', 1)",
    "bad argument #3 to 'pack' (number expected, got nil)")
err("struct.pack('i s', 1)",
    "bad argument #3 to 'pack' (string expected, got nil)")
err("struct.pack('c0 i', ('x'):rep(300))",
    "bad argument #3 to 'pack' (number expected, got nil)")
err("struct.pack('c2 c2 i', 'ab', 'cd')",
    "bad argument #4 to 'pack' (number expected, got nil)")
err("struct.pack('i', 'x')",
    "bad argument #2 to 'pack' (number expected, got string)")
err("struct.pack('c5', 'abc')", "bad argument #2 to 'pack' (string too short)")
err("struct.pack('i c3', 1, 'ab')",
    "bad argument #3 to 'pack' (string too short)")
err("struct.pack('s', {})",
    "bad argument #2 to 'pack' (string expected, got table)")
err("struct.pack('z', 1)",
    "bad argument #1 to 'pack' (invalid format option 'z')")
err("struct.pack('<=', 1)",
    "bad argument #1 to 'pack' (invalid format option '=')")
err("struct.pack('!3i', 1)", "alignment 3 is not a power of 2")
err("struct.pack('!0i', 1)", "alignment 0 is not a power of 2")
err("struct.pack('i33', 1)", ("integral size 33 is larger than limit of 32",
                              "integral size 33 is larger than limit of 4"))
err("#struct.pack('I5', 1)", ("5",
    "integral size 5 is larger than limit of 4"))
err("#struct.pack('f', 1)", ("4",
    "bad argument #1 to 'pack' (invalid format option 'f')"))
err("select('#', struct.unpack('d', '12345678'))", ("2",
    "bad argument #1 to 'unpack' (invalid format option 'd')"))
err("struct.unpack('i')",
    "bad argument #2 to 'unpack' (string expected, got no value)")
err("struct.unpack('i', 'abc')",
    "bad argument #2 to 'unpack' (data string too short)")
err("struct.unpack('b', 'abc', 4)",
    "bad argument #2 to 'unpack' (data string too short)")
err("struct.unpack('b', 'abc', 0)",
    "bad argument #2 to 'unpack' (data string too short)")
err("struct.unpack('B c0', '\\9abc')",
    "bad argument #2 to 'unpack' (data string too short)")
err("struct.unpack('s', 'abc')", "unfinished string in data")
err("struct.unpack('c0', 'abc')", "format `c0' needs a previous size")
err("struct.unpack('x c0', '5abcde')", "format `c0' needs a previous size")
err("struct.unpack('?', 'abc')",
    "bad argument #1 to 'unpack' (invalid format option '?')")
err("struct.size('s')",
    "bad argument #1 to 'size' (option 's' has no fixed size)")
err("struct.size('bc0')",
    "bad argument #1 to 'size' (option 'c0' has no fixed size)")
err("struct.size('#')", "bad argument #1 to 'size' (invalid format option '#')")
err("struct.size('!6')", "alignment 6 is not a power of 2")
err("struct.size()",
    "bad argument #1 to 'size' (string expected, got no value)")

write()
EOF

sim_groups
