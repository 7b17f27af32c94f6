-- rawequal, rawget, rawset bypass metamethods; rawlen is not Lua 5.1
local log = {}
local mt = {
  __index = function(_, k) log[#log + 1] = "index " .. tostring(k) return "dflt" end,
  __newindex = function(t, k, v) log[#log + 1] = "newindex " .. tostring(k) rawset(t, k, v * 2) end,
  __eq = function() return true end,
}
local a = setmetatable({}, mt)
local b = setmetatable({}, mt)
print(a.x, rawget(a, "x"))
a.y = 5
print(rawget(a, "y"), a.y)
print(rawset(a, "z", 7) == a, rawget(a, "z"), a.z)
print(a == b, rawequal(a, b), rawequal(a, a))
print(rawequal(1, 1), rawequal("x", "x"), rawequal(1, "1"), rawequal(nil, nil), rawequal({}, {}))
print(table.concat(log, ", "))
print(rawlen, type(rawlen))
print(pcall(rawget, 1, 2))
print(pcall(rawset, "s", 1, 2))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawequal, 1))
local t = {}
rawset(t, 1, "one")
rawset(t, 2.0, "two")
print(#t, rawget(t, 1.0), rawget(t, 2))
print("done base_rawops")
