-- __len: used for userdata in 5.1, ignored for tables and strings
local u = newproxy(true)
getmetatable(u).__len = function(x) return 42 end
print(#u)
local u2 = newproxy(true)
getmetatable(u2).__len = function(x, y) return rawequal(x, u2), y == nil end
print(#u2)
local t = setmetatable({ 1, 2, 3 }, { __len = function() return 99 end })
print(#t)
print(pcall(function() return #newproxy() end))
gnp = newproxy()
print(pcall(function() return #gnp end))
print(pcall(function() return #gnum_nil end))
local counter = newproxy(true)
local n = 0
getmetatable(counter).__len = function() n = n + 1 return n end
print(#counter, #counter, #counter)
local ustr = newproxy(true)
getmetatable(ustr).__len = function() return "not a number" end
print(#ustr)
print("done meta_len")
