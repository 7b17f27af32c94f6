-- classes with inheritance, super calls, class methods and instance counting
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  return c
end
local Animal = class()
Animal.count = 0
function Animal:init(name, sound) self.name = name self.sound = sound Animal.count = Animal.count + 1 end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
local Dog = class(Animal)
function Dog:init(name) Dog.super.init(self, name, "woof") self.tricks = {} end
function Dog:learn(t) self.tricks[#self.tricks + 1] = t return self end
function Dog:kind() return "dog, a kind of " .. Dog.super.kind(self) end
local Puppy = class(Dog)
function Puppy:speak() return Puppy.super.speak(self) .. " (squeaky)" end
local a = Animal.new("cat", "meow")
local d = Dog.new("rex")
local p = Puppy.new("bit")
d:learn("sit"):learn("roll")
print(a:speak())
print(d:speak(), table.concat(d.tricks, ","))
print(p:speak(), p:kind())
print(Animal.count, rawget(Dog, "count"), d.count)
print(getmetatable(p) == Puppy, getmetatable(Puppy).__index == Dog)
local function isinstance(o, cls)
  local m = getmetatable(o)
  while m do
    if m == cls then return true end
    m = m.super
  end
  return false
end
print(isinstance(p, Animal), isinstance(p, Dog), isinstance(d, Puppy), isinstance(a, Dog))
-- overriding a method on one instance
p.speak = function() return "instance override" end
print(p:speak(), Puppy.new("other"):speak())
-- class-level __tostring and __eq via the shared metatable
Animal.__tostring = function(self) return "<" .. self.name .. ">" end
print(tostring(a), tostring(d):match("^table: ") ~= nil)
print("done meta_class")
