-- __lt and __le; 5.1 falls back from __le to "not (b < a)"
local log = {}
local N = {}
N.__lt = function(a, b) log[#log + 1] = "lt" return a.v < b.v end
N.__le = function(a, b) log[#log + 1] = "le" return a.v <= b.v end
local function n(v) return setmetatable({ v = v }, N) end
print(n(1) < n(2), n(2) < n(1), n(1) <= n(1), n(2) <= n(1))
print(n(1) > n(2), n(2) >= n(1))
print(table.concat(log, " "))
-- only __lt defined: a <= b is not (b < a)
log = {}
local O = { __lt = function(a, b) log[#log + 1] = "lt" return a.v < b.v end }
local function o(v) return setmetatable({ v = v }, O) end
print(o(1) <= o(2), o(2) <= o(1), o(1) >= o(1))
print(table.concat(log, " "))
-- mixed types never call metamethods
print(pcall(function() return n(1) < 1 end))
print(pcall(function() return 1 <= n(1) end))
-- different metatables with different __lt functions fail
local P = { __lt = function() return true end }
local Q = { __lt = function() return true end }
print(pcall(function() return setmetatable({}, P) < setmetatable({}, Q) end))
-- same function in two metatables works
local shared = function(a, b) return #a < #b end
local R1, R2 = { __lt = shared }, { __lt = shared }
print(setmetatable({ 1 }, R1) < setmetatable({ 1, 2 }, R2))
-- result converted to boolean
local B = { __lt = function() return 1 end, __le = function() return nil end }
local b1, b2 = setmetatable({}, B), setmetatable({}, B)
print(b1 < b2, b1 <= b2)
-- tables without metamethods
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= {} end))
print("done meta_lt_le")
