-- a Set type with operators: + union, * intersection, - difference, <= subset, == equality
local Set = {}
Set.__index = Set
function Set.new(items) local s = setmetatable({ items = {} }, Set) for _, v in ipairs(items or {}) do s.items[v] = true end return s end
function Set:list() local t = {} for k in pairs(self.items) do t[#t + 1] = k end table.sort(t) return t end
function Set:size() local n = 0 for _ in pairs(self.items) do n = n + 1 end return n end
Set.__add = function(a, b) local r = Set.new() for k in pairs(a.items) do r.items[k] = true end for k in pairs(b.items) do r.items[k] = true end return r end
Set.__mul = function(a, b) local r = Set.new() for k in pairs(a.items) do if b.items[k] then r.items[k] = true end end return r end
Set.__sub = function(a, b) local r = Set.new() for k in pairs(a.items) do if not b.items[k] then r.items[k] = true end end return r end
Set.__le = function(a, b) for k in pairs(a.items) do if not b.items[k] then return false end end return true end
Set.__lt = function(a, b) return a <= b and not (b <= a) end
Set.__eq = function(a, b) return a <= b and b <= a end
Set.__tostring = function(s) return "{" .. table.concat(s:list(), ",") .. "}" end
Set.__concat = function(a, b) return tostring(a) .. tostring(b) end
Set.__len = function(s) return s:size() end
local A = Set.new({ 1, 2, 3, 4 })
local B = Set.new({ 3, 4, 5 })
print(tostring(A + B), tostring(A * B), tostring(A - B), tostring(B - A))
print(A * B <= A, A <= B, Set.new({ 3 }) < B, B < B, A == Set.new({ 4, 3, 2, 1 }), A ~= B)
print(A .. B, #A == 4 or "len ignored for tables", A:size())
local words = Set.new({ "x", "y" }) + Set.new({ "z" })
print(tostring(words), words:size())
print("done meta_set")
