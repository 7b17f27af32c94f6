-- string.dump round trips through loadstring for functions compiled at run time;
-- the dumped bytes themselves are never printed
local adder = loadstring("return function(a, b) return a + b, 'sum' end")()
local d = string.dump(adder)
print(type(d), #d > 0)
local f = loadstring(d)
print(f(2, 3))
local g = loadstring(string.dump(loadstring("return select('#', ...), ...")))
print(g(1, nil, 3))
local fact = loadstring(string.dump(loadstring([[
  local n = ...
  local r = 1
  for i = 2, n do r = r * i end
  return r
]])))
print(fact(10))
-- dumped functions lose their upvalues' values
local withup = loadstring("local up = 'captured' return function() return up end")()
print(withup())
local h = loadstring(string.dump(withup))
print(pcall(h))
-- a dump of a dump's function is loadable again
local twice = loadstring(string.dump(loadstring(string.dump(adder))))
print(twice(40, 2))
print(pcall(string.dump, print))
print(pcall(string.dump))
local pos = 0
local via_load = load(function() pos = pos + 1 if pos == 1 then return d end end)
print(via_load(10, 20))
print("done base_dump")
