#!/bin/bash
# tests/cli/modules_sjson.sh: the sjson library on nodemcu-sim, float and
# integer VM. Debian's python3 json module as the reference on a corpus
# of documents (hand-picked edge cases and seeded random ones: nesting,
# escapes, UTF-8, numbers of every shape, null, duplicate keys, odd
# whitespace): each is decoded whole, decoded by a streaming decoder fed
# in pieces of 1..1000 bytes, and encoded back; both sides print the
# decoded value in one canonical form (python applying the VM's number
# conversion: %.14g of the double, or the integer VM's strtol rules), and
# python reads the encoder's output back. Then NodeMCU's behaviour that
# python has no say in: errors and their jsonsl names, depth limits of
# decoder and encoder, null handling (sjson.NULL, opts.null, opts without
# null), metatable/checkpath, encoder:read pieces, functions and bad types
# in the encoder, a surrogate escape, and a document far larger than the
# heap decoded as a stream. Env: BINDIR. PASS/FAIL lines.
set -u
CLI_PREFIX=sjson
# shellcheck source=tests/cli/modules.bash
. "$(cd "$(dirname "$0")" && pwd)/modules.bash"
exec </dev/null
export LC_ALL=C

# -- the corpus against python3's json ---------------------------------------
# canon(): tables as {key=value,...} sorted, "#n" for number keys and
# "s<hex>" for string keys and values, "n<tostring>" for numbers.
cat >"$T/canon.lua" <<'LUA'
local doc, name, piece = ...
local function hex(s)
    return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
local function canon(v)
    if v == sjson.NULL then return "null" end
    local t = type(v)
    if t == "table" then
        local items = {}
        for k, x in pairs(v) do
            local ks = type(k) == "number" and "#" .. tostring(k) or "s" .. hex(k)
            items[#items + 1] = ks .. "=" .. canon(x)
        end
        table.sort(items)
        return "{" .. table.concat(items, ",") .. "}"
    elseif t == "string" then
        return "s" .. hex(v)
    elseif t == "number" then
        return "n" .. tostring(v)
    end
    return tostring(v)
end
local whole = sjson.decode(doc)
print("D " .. name .. " " .. canon(whole))
local d, got = sjson.decoder(), nil
piece = tonumber(piece)
for i = 1, #doc, piece do
    local r = d:write(doc:sub(i, i + piece - 1))
    assert(got == nil)
    got = r
end
assert(rawequal(got, d:result()))
print("S " .. name .. " " .. canon(got))
print("E " .. name .. " " .. sjson.encode(whole))
LUA
mkdir -p "$T/docs"
"$PY" - "$T/docs" <<'PY'
import json, os, random, sys
out = sys.argv[1]
docs = [
    '{}', '[]', '[[]]', '{"a":{}}', '[1,2,3]', ' \t\r\n[ 1 , 2 ]\n',
    '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
    '[0, -0, 1, -1, 0.5, -0.5, 1e2, 1E2, 1e+2, 1e-2, 1.5e-7, 123456789]',
    '[2147483647, 2147483648, -2147483648, -2147483649, 3000000000]',
    '[12345678901234567890, 0.1, 0.30000000000000004, 1.0, 100.0]',
    '[3.141592653589793, 2.718281828459045e10, -1.7976931348623157e308]',
    '[5e-324, 1e-310, 123.456e-2, 0e0, -0.0]',
    '["", "a", "\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0041\\u00e9"]',
    '["\\u0000", "\\u001f", "\\u007f", "\\u0080", "\\u07ff", "\\u0800"]',
    '["\\uffff", "\\uFFFD", "\\u20AC", "\\u4e2d", "caf\u00e9", "\u20ac"]',
    '{"a":1,"a":2}', '{"":0, " ":1, "1":2, "-1":3}',
    '[null, null]', '[1, null, 3]', '{"n":null}',
    '[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]',
    '{"deep":{"er":{"est":[{"x":[[],[{}]]}]}}}',
    '["tab\\there", "nl\\nthere", "quote\\"s", "back\\\\slash/"]',
]
rng = random.Random(8259)
def rstr():
    alphabet = 'abcXYZ019 "\\/\b\f\n\r\t\x01\x1f\x7f\u00e9\u00ff\u0100\u20ac\u4e2d\uffee'
    return ''.join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
def rnum():
    k = rng.randrange(6)
    if k == 0: return rng.randrange(-1000, 1000)
    if k == 1: return rng.randrange(-2**40, 2**40)
    if k == 2: return rng.uniform(-1e6, 1e6)
    if k == 3: return rng.uniform(-1, 1) * 10 ** rng.randrange(-30, 30)
    if k == 4: return rng.randrange(-2**31, 2**31)
    return round(rng.uniform(-100, 100), rng.randrange(4))
def rval(depth):
    k = rng.randrange(9 if depth < 6 else 6)
    if k == 0: return rstr()
    if k in (1, 2): return rnum()
    if k == 3: return rng.choice([True, False])
    if k == 4: return None
    if k == 5: return rstr()
    if k in (6, 7): return [rval(depth + 1) for _ in range(rng.randrange(6))]
    return {rstr(): rval(depth + 1) for _ in range(rng.randrange(6))}
for i in range(60):
    v = [rval(1) for _ in range(rng.randrange(1, 6))] if i % 2 else \
        {rstr(): rval(1) for _ in range(rng.randrange(1, 6))}
    seps = rng.choice([(',', ':'), (', ', ': '), (' ,', ' : ')])
    docs.append(json.dumps(v, ensure_ascii=rng.random() < 0.5,
                           indent=rng.choice([None, None, 0, 2, '\t']),
                           separators=seps))
for i, d in enumerate(docs):
    with open(os.path.join(out, "d%03d" % i), "w", encoding="utf-8") as f:
        f.write(d)
PY
# canon.py MODE: the python side of canon() for the documents (want) or
# for the encoder's output lines of a run (got).
cat >"$T/canon.py" <<'PY'
import json, math, os, re, sys
mode, vm = sys.argv[1], sys.argv[2]
def num(text):
    if vm == "int":
        if not re.fullmatch(r"-?[0-9]+", text):
            return "n0"
        return "n%d" % max(-2**31, min(2**31 - 1, int(text)))
    return "n" + ("%.14g" % float(text))
class Num(str):
    pass
def load(s):
    return json.loads(s, parse_float=Num, parse_int=Num,
                      parse_constant=Num)
def hexs(s):
    return "s" + s.encode("utf-8", "surrogatepass").hex()
def canon(v):
    if v is None: return "null"
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, Num): return num(v)
    if isinstance(v, str): return hexs(v)
    if isinstance(v, list):
        items = ["#%d=%s" % (i + 1, canon(x)) for i, x in enumerate(v)]
    else:
        items = [hexs(k) + "=" + canon(x) for k, x in v.items()]
    return "{" + ",".join(sorted(items)) + "}"
if mode == "want":
    d = sys.argv[3]
    for name in sorted(os.listdir(d)):
        c = canon(load(open(os.path.join(d, name), encoding="utf-8").read()))
        print("D %s %s\nS %s %s\nE %s %s" % (name, c, name, c, name, c))
else:
    for line in open(sys.argv[3], encoding="utf-8", errors="replace"):
        tag, name, rest = line.rstrip("\n").split(" ", 2)
        if tag == "E":
            try:
                rest = canon(load(rest))
            except ValueError as e:
                rest = "not JSON: %s: %s" % (e, rest[:60])
        print(tag, name, rest)
PY
pieces=(1 2 3 5 8 13 64 1000)
for vm in float int; do
    flag=()
    [ $vm = int ] && flag=(--int)
    "$PY" "$T/canon.py" want $vm "$T/docs" >"$T/want.$vm"
    : >"$T/raw.$vm"
    i=0
    for f in "$T"/docs/d*; do
        "$SIM" "${flag[@]}" "$T/canon.lua" "$(cat "$f")" "$(basename "$f")" \
            "${pieces[i % 8]}" >>"$T/raw.$vm" 2>&1
        i=$((i + 1))
    done
    "$PY" "$T/canon.py" got $vm "$T/raw.$vm" >"$T/got.$vm" 2>&1
    if cmp -s "$T/want.$vm" "$T/got.$vm"; then
        pass "corpus_$vm"
    else
        fail "corpus_$vm" "$(diff "$T/want.$vm" "$T/got.$vm" | head -4 |
            cut -c1-200 | tr '\n' '|')"
    fi
done

# -- NodeMCU's behaviour ----------------------------------------------------------
# Two programs, so that each fits the 44 KB heap with its data.
cat >"$T/decoder.lua" <<'LUA'
local function try(f, ...)
    local ok, e = pcall(f, ...)
    return ok and "ok" or (tostring(e):gsub("^[^:]*:%d+: ", ""))
end
local function dec(s, o) return try(sjson.decode, s, o) end
-- errors, with jsonsl's names
for _, s in ipairs({ '[1,]', '{"a":1,}', '[1 2]', '{"a" 1}', '{1:2}',
        '{"a":}', '[1}', '{"a":1]', ']', '[01]', '[1.]', '[-]', '[1e]',
        '[1e+]', '[.5]', '[+1]', '[tru]', '[nul ]', '[truex]', '[nan]',
        '["\\x"]', '["\\u12g4"]', '["a\1"]', '["a\n"]', '"top"', '5',
        '5 [1]', '[1', '{"a":[1,2', '', '  ', '[1,,2]', '[:]', '{,}',
        '[1] trailing garbage', '{"a":1}{', '["\0"]', '[\0]' }) do
    print((s:gsub("%c", function(c) return "\\" .. c:byte() end)) ..
          " -> " .. dec(s))
end
local d = sjson.decoder()
print("before: " .. try(d.result, d))
print("bad: " .. try(d.write, d, "[1,}"))
print("again: " .. try(d.write, d, "[1]"))
print("self: " .. try(d.write, 5, "[1]"))
d = sjson.decoder()
print(d:write("[1,"), d:write("2]")[2], d:write("garbage")[1], d:result()[2])
-- depth: jsonsl counts a string or number as a level too
local function nest(n, inner)
    return string.rep("[", n) .. (inner or "") .. string.rep("]", n)
end
print("19: " .. dec(nest(19)), "20: " .. dec(nest(20)))
print("18+1: " .. dec(nest(18, "1")), "19+1: " .. dec(nest(19, "1")))
print("18+key: " .. dec(nest(17, '{"k":[]}')),
      "19+key: " .. dec(nest(18, '{"k":1}')))
print("depth 5: " .. dec(nest(4), { depth = 5 }) .. " " ..
      dec(nest(5), { depth = 5 }))
print("depth 1 is 4: " .. dec(nest(3), { depth = 1 }) .. " " ..
      dec(nest(4), { depth = 1 }))
print("depth 30: " .. dec(nest(29), { depth = 30 }))
local function tnest(n)
    local t = {}
    for _ = 2, n do t = { t } end
    return t
end
print("enc 20: " .. try(sjson.encode, tnest(20)),
      "enc 21: " .. try(sjson.encode, tnest(21)))
print("enc depth 4: " .. try(sjson.encode, tnest(4), { depth = 4 }) .. " " ..
      try(sjson.encode, tnest(5), { depth = 4 }))
-- null
local t = sjson.decode('{"a":null,"b":[null,2,null]}')
print(t.a == sjson.NULL, type(sjson.NULL), sjson.NULL == sjson.NULL,
      #t.b, t.b[3] == sjson.NULL, sjson.nothing)
t = sjson.decode('{"a":null,"b":[null,2]}', { null = "\0" })
print(t.a == "\0", t.b[1] == "\0")
t = sjson.decode('{"a":null,"b":[null,2]}', {})
print(t.a, t.b[1], t.b[2])
print(sjson.encode({ sjson.NULL, "\0", "x" }, { null = "\0" }),
      sjson.encode({ sjson.NULL, "\0" }))
LUA
cat >"$T/encoder.lua" <<'LUA'
local function try(f, ...)
    local ok, e = pcall(f, ...)
    return ok and "ok" or (tostring(e):gsub("^[^:]*:%d+: ", ""))
end
-- encoder: types, arrays and objects
print(sjson.encode({ 1, 2, nil, 4 }), sjson.encode({}), sjson.encode({ {} }),
      sjson.encode({ [2] = "b" }), sjson.encode({ [0] = 1 }),
      sjson.encode({ [-1] = 1 }), sjson.encode({ [10] = true }))
print(sjson.encode({ f = function() return function() return { 7 } end end }),
      sjson.encode({ true, false, "x" }))
print(sjson.encode({ s = "q\"b\\s/\1\31\b\f\n\r\t" }))
print("fn: " .. try(sjson.encode, { function() return function() return
    function() return function() return function() return function() return
    function() return function() return function() return function() return
    function() end end end end end end end end end end end }))
print("udata: " .. try(sjson.encode, { crypto.new_hash("md5") }),
      "thread: " .. try(sjson.encode, { coroutine.create(function() end) }),
      "key: " .. try(sjson.encode, { [{}] = 1 }),
      "arg: " .. try(sjson.encode, "x"))
-- encoder:read
local big = {}
for i = 1, 150 do big[i] = i * 1000003 end
local whole = sjson.encode(big)
local e, parts = sjson.encoder(big), {}
repeat local s = e:read(50) parts[#parts + 1] = s until s == nil
print(#whole, table.concat(parts) == whole, #parts, #parts[1], #parts[#parts])
parts = nil
e = sjson.encoder(big)
local a, b, c = e:read(), e:read(0), e:read()
print(#a, #b, #c, a .. b .. c == whole, e:read())
e = sjson.encoder({ 1 })
print(e:read(100), e:read(100), select("#", e:read(100)))
-- metatable and checkpath (the documented example)
local log = {}
local mt = {
    __newindex = function(t, k, v)
        log[#log + 1] = tostring(k) .. "=" .. type(v)
        rawset(t, k, v)
    end,
    checkpath = function(tab, path)
        log[#log + 1] = "path{" .. table.concat(path, ",") .. "}"
        return path[1] ~= "skip"
    end,
}
t = sjson.decode('{ "foo": [1, 2, []], "skip": {"x": 1}, "z": "s" }',
                 { metatable = mt })
table.sort(log)
print(table.concat(log, " "))
print(getmetatable(t) == mt, getmetatable(t.foo[3]) == mt, t.skip, t.z)
t = sjson.decode('[1]', { metatable = { checkpath = function() return false
    end } })
print("root refused: " .. tostring(t))
-- surrogate escapes give '?', as NodeMCU's
print(sjson.decode('["\\ud83d\\ude00", "\\u00e9"]')[1])
LUA
cat >"$T/decoder.want" <<'OUT'
[1,] -> JSON parse error: TRAILING_COMMA
{"a":1,} -> JSON parse error: TRAILING_COMMA
[1 2] -> JSON parse error: CANT_INSERT
{"a" 1} -> JSON parse error: MISSING_TOKEN
{1:2} -> JSON parse error: HKEY_EXPECTED
{"a":} -> JSON parse error: VALUE_EXPECTED
[1} -> JSON parse error: BRACKET_MISMATCH
{"a":1] -> JSON parse error: BRACKET_MISMATCH
] -> JSON parse error: BRACKET_MISMATCH
[01] -> JSON parse error: INVALID_NUMBER
[1.] -> JSON parse error: INVALID_NUMBER
[-] -> JSON parse error: INVALID_NUMBER
[1e] -> JSON parse error: INVALID_NUMBER
[1e+] -> JSON parse error: INVALID_NUMBER
[.5] -> JSON parse error: SPECIAL_EXPECTED
[+1] -> JSON parse error: SPECIAL_EXPECTED
[tru] -> JSON parse error: SPECIAL_INCOMPLETE
[nul ] -> JSON parse error: SPECIAL_INCOMPLETE
[truex] -> JSON parse error: SPECIAL_EXPECTED
[nan] -> JSON parse error: SPECIAL_EXPECTED
["\x"] -> JSON parse error: ESCAPE_INVALID
["\u12g4"] -> JSON parse error: ESCAPE_INVALID
["a\1"] -> JSON parse error: WEIRD_WHITESPACE
["a\10"] -> JSON parse error: WEIRD_WHITESPACE
"top" -> JSON parse error: STRING_OUTSIDE_CONTAINER
5 -> Incomplete JSON object passed to sjson.decode
5 [1] -> JSON parse error: CANT_INSERT
[1 -> Incomplete JSON object passed to sjson.decode
{"a":[1,2 -> Incomplete JSON object passed to sjson.decode
 -> Incomplete JSON object passed to sjson.decode
   -> Incomplete JSON object passed to sjson.decode
[1,,2] -> JSON parse error: STRAY_TOKEN
[:] -> JSON parse error: STRAY_TOKEN
{,} -> JSON parse error: STRAY_TOKEN
[1] trailing garbage -> ok
{"a":1}{ -> ok
["\0"] -> JSON parse error: WEIRD_WHITESPACE
[\0] -> JSON parse error: FOUND_NULL_BYTE
before: decode not complete
bad: JSON parse error: BRACKET_MISMATCH
again: JSON parse error: previous call
self: bad argument #1 to '?' (sjson.decoder expected, got number)
nil	2	1	2
19: ok	20: JSON parse error: LEVELS_EXCEEDED
18+1: ok	19+1: JSON parse error: LEVELS_EXCEEDED
18+key: ok	19+key: JSON parse error: LEVELS_EXCEEDED
depth 5: ok JSON parse error: LEVELS_EXCEEDED
depth 1 is 4: ok JSON parse error: LEVELS_EXCEEDED
depth 30: ok
enc 20: ok	enc 21: encoder stack overflow
enc depth 4: ok encoder stack overflow
true	userdata	true	3	true	nil
true	true
nil	nil	2
[null,null,"x"]	[null,"\u0000"]
OUT
cat >"$T/encoder.want" <<'OUT'
[1,2,null,4]	[]	[[]]	[null,"b"]	{"0":1}	{"-1":1}	[null,null,null,null,null,null,null,null,null,true]
{"f":[7]}	[true,false,"x"]
{"s":"q\"b\\s/\u0001\u001f\b\f\n\r\t"}
fn: Cannot encode type 6
udata: Cannot encode type 7	thread: Cannot encode type 8	key: Cannot encode type 5	arg: bad argument #1 to '?' (table expected, got string)
1393	true	28	50	43
1024	1	368	true
[1]	nil	0
1=number 2=number 3=table foo=table path{foo,3} path{foo} path{skip} path{} x=number z=string
true	true	nil	s
root refused: nil
??
OUT
for p in decoder encoder; do
    same "${p}_float" "$T/$p.want" -- "$SIM" "$T/$p.lua"
    same "${p}_int" "$T/$p.want" -- "$SIM" --int "$T/$p.lua"
done

# -- a stream far larger than the heap --------------------------------------------
# About 300 KB of JSON through a decoder whose __newindex keeps nothing:
# only the open containers and the current token stay in the 44 KB heap.
# Then a 6000-byte string and numbers split across writes.
cat >"$T/stream.lua" <<'LUA'
local n, bytes = 0, 0
local d = sjson.decoder({ metatable = { __newindex = function() n = n + 1 end } })
local function w(s) bytes = bytes + #s return d:write(s) end
w("[")
for i = 1, 5000 do
    w('{"id":' .. i .. ',"name":"item number ' .. i ..
      '","tags":["a","b"],"v":' .. (i * 7) .. '},')
end
print(type(w("{}]")), n, bytes > 300000)
d = sjson.decoder()
d:write('{"s":"')
for i = 1, 60 do d:write(string.rep(string.char(64 + i % 26), 100)) end
local t = d:write('", "n":[12')
t = d:write('34') or d:write('5, -') or d:write('6]}')
print(#t.s, t.s:sub(1, 3), t.n[1], t.n[2])
LUA
printf 'table\t35001\ttrue\n6000\tAAA\t12345\t-6\n' >"$T/stream.want"
same stream_float "$T/stream.want" -- "$SIM" "$T/stream.lua"
same stream_int "$T/stream.want" -- "$SIM" --int "$T/stream.lua"
