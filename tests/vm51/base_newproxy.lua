-- newproxy: userdata with or without a metatable, shared metatables
local p0 = newproxy()
print(type(p0), getmetatable(p0))
local p1 = newproxy(true)
local mt = getmetatable(p1)
print(type(p1), type(mt))
mt.__index = function(_, k) return "field " .. k end
mt.__len = function() return 99 end
mt.__tostring = function() return "proxy one" end
print(p1.anything, #p1, tostring(p1))
local p2 = newproxy(p1)
print(getmetatable(p2) == mt, p2.other, #p2)
print(newproxy(false) ~= nil, getmetatable(newproxy(false)))
print(pcall(newproxy, 1))
print(pcall(newproxy, {}))
print(pcall(newproxy, p0))
print(p1 == p2, rawequal(p1, p1))
-- userdata are table keys and comparable by identity only
local t = { [p1] = "one", [p2] = "two" }
print(t[p1], t[p2])
mt.__eq = function() return true end
print(p1 == p2)
print(pcall(setmetatable, p0, {}))
gproxy = p0
print(pcall(function() return gproxy.x end))
print("done base_newproxy")
