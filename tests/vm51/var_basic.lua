-- varargs: counting, forwarding, adjusting, in tables and calls
local function count(...) return select("#", ...) end
local function id(...) return ... end
print(count(), count(nil), count(id(1, nil, nil)), count(id()))
print(id(1, 2, 3), (id(1, 2, 3)))
print(id(1, 2), id(3, 4))
local t = { id(1, 2, 3) }
print(#t, t[3])
local u = { id(1, 2, 3), 10 }
print(#u, u[2])
local function first(a) return a end
local function firsttwo(a, b) return a, b end
print(first(id(5, 6)), firsttwo(id(7)))
-- arg adjustment: missing become nil, extras dropped
local function three(a, b, c) return a, b, c end
print(three(1), three(1, 2, 3, 4))
-- varargs in the middle of an expression list are truncated to one
local function mid(...) return ..., "end" end
print(mid(1, 2, 3))
-- varargs inside nested functions must be passed explicitly
local function outer(...)
  local n = select("#", ...)
  local packed = { ... }
  return function() return n, unpack(packed, 1, n) end
end
print(outer("a", nil, "c")())
-- arithmetic on varargs
local function sum(...)
  local s = 0
  for _, v in ipairs({ ... }) do s = s + v end
  return s
end
print(sum(), sum(1), sum(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
-- string.format with forwarded varargs
local function fmt(f, ...) return string.format(f, ...) end
print(fmt("%d-%s-%5.2f", 1, "two", 3))
-- varargs and method calls
local obj = { name = "obj" }
function obj:describe(...) return self.name, select("#", ...), ... end
print(obj:describe("x", nil))
-- 200 values through a vararg function
local big = {}
for i = 1, 200 do big[i] = i end
print(count(unpack(big)), select(200, id(unpack(big))))
print("done var_basic")
