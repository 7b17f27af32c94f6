-- next and pairs: traversal visits every key once; order is not printed
local function sortedkeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = tostring(k) end
  table.sort(ks)
  return table.concat(ks, ",")
end
print(next({}))
print(next({ 10 }))
local t = { 1, 2, 3, a = "x", b = "y", [10] = "ten", [2.5] = "frac", [true] = "t" }
print(sortedkeys(t))
local n = 0
local k, v = next(t)
while k ~= nil do
  n = n + 1
  k, v = next(t, k)
end
print("count", n)
-- clearing fields during traversal is allowed
for key in pairs(t) do t[key] = nil end
print("after clear", next(t))
-- assigning existing fields during traversal is allowed
local s = { a = 1, b = 2, c = 3, d = 4 }
for key, val in pairs(s) do s[key] = val * 10 end
print(s.a, s.b, s.c, s.d)
print(pcall(next, {}, "nokey"))
print(pcall(next, nil))
print(pcall(next))
-- pairs returns next, the table and nil
local f, st, init = pairs(s)
print(f == next, st == s, init)
-- pairs ignores __index
local p = setmetatable({ own = 1 }, { __index = { inherited = 2 } })
print(sortedkeys(p))
-- numeric keys normalise: 1 and 1.0 are one key
local m = {}
m[1] = "int"
m[1.0] = "float"
m["1"] = "string"
print(sortedkeys(m), m[1], m["1"])
print("done base_next")
