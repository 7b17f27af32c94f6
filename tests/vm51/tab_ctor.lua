-- table constructors: positional, named, bracketed, trailing separators, calls
local function two() return "x", "y" end
local t = { 1, 2, 3, n = "named", ["key with space"] = true, [10] = "ten", two() }
print(#t, t[4], t[5], t.n, t["key with space"], t[10])
local u = { two(), two() }
print(#u, u[1], u[2], u[3])
local v = { (two()) }
print(#v)
local w = { 1, 2, 3, }
local x = { 1; 2; 3; }
local y = { a = 1; b = 2, }
print(#w, #x, y.a + y.b)
local z = { [1] = "a", [2] = "b", "c" }
print(z[1], z[2])
local nested = { { 1, 2 }, { 3, { 4, 5 } }, k = { l = { m = "deep" } } }
print(nested[2][2][2], nested.k.l.m)
local exprs = { 1 + 1, "a" .. "b", #"abc", not nil, -(-3), 2 ^ 2 }
print(unpack(exprs, 1, 6))
local fns = { add = function(a, b) return a + b end, [1] = function() return "first" end }
print(fns.add(2, 3), fns[1]())
local big = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60 }
local sum = 0
for _, v2 in ipairs(big) do sum = sum + v2 end
print(#big, sum)
local dup = { x = 1, x = 2 }
print(dup.x)
local varargs = (function(...) return { ... } end)(1, nil, 3)
print(varargs[1], varargs[3])
print("done tab_ctor")
