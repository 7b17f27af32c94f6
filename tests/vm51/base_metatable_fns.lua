-- setmetatable / getmetatable rules
local t = {}
local mt = {}
print(setmetatable(t, mt) == t, getmetatable(t) == mt)
print(setmetatable(t, nil) == t, getmetatable(t))
print(getmetatable("abc").__index == string)
print(getmetatable(1), getmetatable(nil), getmetatable(print), getmetatable(true))
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 5))
print(pcall(setmetatable, {}))
print(pcall(getmetatable))
-- __metatable hides and protects the metatable
local guarded = setmetatable({}, { __metatable = "locked" })
print(getmetatable(guarded))
print(pcall(setmetatable, guarded, {}))
local guarded2 = setmetatable({}, { __metatable = false })
print(getmetatable(guarded2))
print(pcall(setmetatable, guarded2, nil))
-- the string metatable is protected too? (no: a plain table)
print(type(getmetatable("")))
-- metatables are ordinary tables, shared by many objects
local shared = { __index = { kind = "shared" } }
local a, b = setmetatable({}, shared), setmetatable({}, shared)
print(a.kind, b.kind, getmetatable(a) == getmetatable(b))
shared.__index.kind = "changed"
print(a.kind, b.kind)
-- a metatable can be its own metatable
local self = {}
self.__index = self
self.x = "selfref"
setmetatable(self, self)
selfref = self
print(self.x, pcall(function() return selfref.y end))
print(pcall(function() selfref.__newindex = selfref; selfref.z = 1 end))
print("done base_metatable_fns")
