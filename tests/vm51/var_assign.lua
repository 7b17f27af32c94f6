-- multiple assignment: evaluation before assignment, swaps, adjustment
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local x, y, z = (function() return 1, 2, 3 end)()
print(x, y, z)
local p, q = (function() return 1, 2, 3 end)(), 10
print(p, q)
local t = { 1, 2, 3 }
local i = 1
i, t[i] = i + 1, "changed"
print(i, t[1], t[2])
-- all expressions are evaluated before any assignment
local m = { 10, 20 }
local k = 1
k, m[k], m[k + 1] = 2, m[2], m[1]
print(k, m[1], m[2])
-- assigning to globals and fields in one statement
gx, t.field, t[4] = "g", "f", "four"
print(gx, t.field, t[4])
-- extra values are discarded, missing become nil
local d, e = 1, 2, 3, 4
local f, g, h = 1
print(d, e, f, g, h)
-- chained swaps
local r1, r2, r3 = "a", "b", "c"
r1, r2, r3 = r3, r1, r2
print(r1, r2, r3)
-- assignment order with __newindex logging
local log = {}
local obj = setmetatable({}, { __newindex = function(tb, key, v) log[#log + 1] = key .. "=" .. v rawset(tb, key, v) end })
obj.a, obj.b, obj.c = 1, 2, 3
table.sort(log)
print(table.concat(log, " "))
-- nested function calls as values
local function two() return "x", "y" end
local s1, s2, s3, s4 = two(), two()
print(s1, s2, s3, s4)
print("done var_assign")
