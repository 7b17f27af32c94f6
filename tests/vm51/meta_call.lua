-- __call: callable tables receive themselves first
local C = setmetatable({ n = 0 }, { __call = function(self, a, b)
  self.n = self.n + 1
  return a + b, self.n
end })
print(C(1, 2))
print(C(10, 20))
print(pcall(C, 100, 0.5))
-- varargs pass through
local V = setmetatable({}, { __call = function(self, ...) return select("#", ...), ... end })
print(V())
print(V(nil, nil))
print(V(1, 2, 3))
-- callable objects as constructors
local Point = {}
Point.__index = Point
setmetatable(Point, { __call = function(cls, x, y) return setmetatable({ x = x, y = y }, cls) end })
function Point:sum() return self.x + self.y end
local p = Point(3, 4)
print(p:sum(), getmetatable(p) == Point)
-- callables in pcall, table.sort comparators and gsub replacements
local cmp = setmetatable({}, { __call = function(_, a, b) return a > b end })
local t = { 3, 1, 2 }
print(pcall(table.sort, t, cmp))
local rep = setmetatable({}, { __call = function(_, s) return s:upper() end })
print(pcall(string.gsub, "abc", "%w", rep))
-- __call chains: a callable whose __call is itself callable is not followed in 5.1
local inner = setmetatable({}, { __call = function() return "inner" end })
local outer = setmetatable({}, { __call = inner })
print(pcall(outer))
-- calling through a field
local obj = { fn = C }
print(obj.fn(5, 5))
print("done meta_call")
