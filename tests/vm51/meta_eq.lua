-- __eq: only for two tables (or two userdata) sharing the same __eq function
local calls = 0
local eqfn = function(a, b) calls = calls + 1 return a.id == b.id end
local M1 = { __eq = eqfn }
local M2 = { __eq = eqfn }
local M3 = { __eq = function() return true end }
local a = setmetatable({ id = 1 }, M1)
local b = setmetatable({ id = 1 }, M1)
local c = setmetatable({ id = 1 }, M2)
local d = setmetatable({ id = 1 }, M3)
print(a == b, a ~= b, calls)
print(a == c, calls)
print(a == d, d == a, calls)
print(a == a, calls)
print(a == 1, a == "x", a == nil, calls)
local plain = { id = 1 }
print(a == plain, plain == a, calls)
-- the result is converted to a boolean
local T = { __eq = function() return "yes" end }
local x, y = setmetatable({}, T), setmetatable({}, T)
print(x == y, x ~= y)
local F = { __eq = function() return nil end }
local p, q = setmetatable({}, F), setmetatable({}, F)
print(p == q, p ~= q)
-- tables as keys use raw identity, not __eq
local keys = {}
keys[a] = "a"
print(keys[b], keys[a])
-- userdata with shared __eq
local u1 = newproxy(true)
getmetatable(u1).__eq = function() return true end
local u2 = newproxy(u1)
local u3 = newproxy(true)
print(u1 == u2, u1 == u3)
print("done meta_eq")
