-- inheritance through chains of __index tables, and long chains
local Base = { kind = "base" }
Base.__index = Base
function Base.describe(self) return "I am " .. self.name .. " (" .. self.kind .. ")" end
function Base.hello() return "hello from base" end
local Mid = setmetatable({ kind = "mid" }, Base)
Mid.__index = Mid
function Mid.hello() return "hello from mid" end
local Leaf = setmetatable({}, Mid)
Leaf.__index = Leaf
local obj = setmetatable({ name = "obj" }, Leaf)
print(obj:describe(), obj.hello(), obj.kind)
print(rawget(obj, "kind"), rawget(Leaf, "kind"), rawget(Mid, "kind"))
Leaf.kind = "leaf"
print(obj:describe())
-- a chain of 50 tables: lookups walk all the way down
local bottom = { found = "at the bottom" }
local cur = bottom
for i = 1, 50 do cur = setmetatable({ ["level" .. i] = i }, { __index = cur }) end
print(cur.found, cur.level1, cur.level50, cur.nothing)
-- a chain mixing tables and functions
local fnlevel = setmetatable({}, { __index = function(_, k) return "fn:" .. k end })
local tlevel = setmetatable({ own = "t" }, { __index = fnlevel })
local top = setmetatable({}, { __index = tlevel })
print(top.own, top.other)
-- cycles are detected: "loop in gettable"
local a, b = {}, {}
setmetatable(a, { __index = b })
setmetatable(b, { __index = a })
cyc = a
print(pcall(function() return cyc.anything end))
print("done meta_index_chain")
