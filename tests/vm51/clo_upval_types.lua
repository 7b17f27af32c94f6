-- upvalues of every type; closures over parameters and varargs-derived locals
local function make(...)
  local args = { ... }
  local n = select("#", ...)
  local nilv, boolv, numv, strv, tabv, fnv = nil, true, 3.5, "str", { 1 }, print
  local cov = coroutine.create(function() end)
  return function()
    local types = {}
    for i = 1, n do types[i] = type(args[i]) end
    return n, table.concat(types, ","), type(nilv), type(boolv), numv, strv, #tabv, fnv == print, type(cov)
  end
end
print(make(1, "a", nil, {})())
-- upvalues updated after closure creation
local function late()
  local v
  local f = function() return v end
  v = "set later"
  return f
end
print(late()())
-- many upvalues in one closure
local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
local function sum10() return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 end
print(sum10())
a5 = 50
print(sum10())
-- closures in tables referencing the table
local obj = { count = 0 }
obj.bump = function() obj.count = obj.count + 1 return obj.count end
obj.bump() obj.bump()
print(obj.count)
-- upvalue shared between a coroutine and the main code
local shared = 0
local co = coroutine.wrap(function() while true do shared = shared + 1 coroutine.yield(shared) end end)
co() co()
shared = shared + 10
print(co(), shared)
print("done clo_upval_types")
