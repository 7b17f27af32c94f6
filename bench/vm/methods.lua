-- methods: method calls through metatables, with inheritance one level deep
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:add(o) self.x = self.x + o.x self.y = self.y + o.y return self end
function Point:len2() return self.x * self.x + self.y * self.y end
local Point3 = setmetatable({}, { __index = Point })
Point3.__index = Point3
function Point3.new(x, y, z) local p = Point.new(x, y) p.z = z return setmetatable(p, Point3) end
function Point3:len2() return Point.len2(self) + self.z * self.z end
local a, b = Point.new(0, 0), Point.new(1, 2)
local c = Point3.new(0, 0, 0)
local s = 0
for i = 1, 1000000 do
  a:add(b)
  c:add(b)
  s = s + a:len2() % 7 + c:len2() % 5
end
print("methods", s, a.x, c.y)
