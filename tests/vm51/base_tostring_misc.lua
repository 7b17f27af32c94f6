-- tostring of non-numbers; __tostring results
print(tostring(nil), tostring(true), tostring(false), tostring("str"))
print(tostring({}):match("^table: ") ~= nil)
print(tostring(function() end):match("^function: ") ~= nil)
print(tostring(coroutine.create(function() end)):match("^thread: ") ~= nil)
print(tostring(newproxy()):match("^userdata: ") ~= nil)
local t1, t2 = {}, {}
print(tostring(t1) == tostring(t1), tostring(t1) ~= tostring(t2))
local o = setmetatable({}, { __tostring = function() return "I am o" end })
print(tostring(o), type(tostring(o)))
local n = setmetatable({}, { __tostring = function() return 42 end })
print(tostring(n), type(tostring(n)))
local e = setmetatable({}, { __tostring = function() error("tostring failed", 0) end })
print(pcall(tostring, e))
print(pcall(tostring))
print(tostring(1, 2))
print(tostring("") == "")
local mt = { __tostring = function(x) return "v=" .. x.v end }
local parts = {}
for i = 1, 5 do parts[i] = tostring(setmetatable({ v = i }, mt)) end
print(table.concat(parts, " "))
print("done base_tostring_misc")
