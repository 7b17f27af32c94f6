-- type() of every kind of value
local co = coroutine.create(function() end)
local vals = { nil, true, false, 0, -1.5, "", "s", {}, print, function() end, co, newproxy() }
for i = 1, 12 do print(i, type(vals[i])) end
print(type(type), type(type("x")), type(nil) == "nil")
print(pcall(type))
print(type(string), type(math.pi), type(_G), type(_VERSION))
print(type(#"abc"), type(1 .. 2), type("1" + 2), type(tostring(1)))
print(type(getmetatable("")), type(coroutine.running))
print("done base_type")
