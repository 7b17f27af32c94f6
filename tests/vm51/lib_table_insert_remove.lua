-- table.insert and table.remove: positions, growth, shifting, return
-- values, raw access, errors
local function show(t, n)
  local o = {}
  for i = 1, n or #t do o[#o + 1] = tostring(t[i]) end
  return "{" .. table.concat(o, ",") .. "} #" .. #t
end
local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "c")
table.insert(t, 2, "d")
print(show(t))
table.insert(t, #t + 1, "e")
print(show(t))
table.insert(t, 10, "far")
print(show(t, 10))
local u = { 1, 2, 3 }
table.insert(u, 2, nil)
print(show(u, 4))
print(table.remove(u), show(u, 4))
u = { 1, 2, 3, 4, 5 }
print(table.remove(u, 1), show(u))
print(table.remove(u, 2), show(u))
print(table.remove(u, #u), show(u))
print(table.remove(u, 0), table.remove(u, 5), table.remove(u, -1), show(u))
print(table.remove({}), select("#", table.remove({})), select("#", table.remove({}, 1)))
print(table.remove({ n = 1 }), table.remove({ "x" }, 1), table.remove({ "x", "y" }, "2"))
local one = { "only" }
print(table.remove(one), #one, table.remove(one), #one)
u = { 1, 2, 3 }
table.insert(u, 1.9, "x")
print(show(u))
table.insert(u, "2", "y")
print(show(u))
print(table.insert({}, "v"), select("#", table.insert({}, "v")))
print(pcall(table.insert))
print(pcall(table.insert, {}))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, "s", 1))
print(pcall(table.insert, {}, "x", 1))
print(pcall(table.insert, {}, {}, 1))
print(pcall(table.remove))
print(pcall(table.remove, 5))
print(pcall(table.remove, {}, "x"))
-- raw: __newindex and __index are ignored
local log = {}
local mt = { __newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end,
             __index = function(t, k) return "idx" .. k end }
local p = setmetatable({}, mt)
table.insert(p, "a")
table.insert(p, 1, "b")
print(rawget(p, 1), rawget(p, 2), #log)
print(table.remove(p, 1), rawget(p, 1), #p, #log)
local big = {}
for i = 1, 100 do table.insert(big, 1, i) end
print(#big, big[1], big[100])
for i = 1, 50 do table.remove(big, 1) end
print(#big, big[1], big[50])
print("done lib_table_insert_remove")
