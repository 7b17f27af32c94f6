-- the table library reads and writes raw: proxies with __index,
-- __newindex, __len and __lt-less values behave as in 5.1
local log = {}
local mt = {
  __index = function(t, k) log[#log + 1] = "get" .. tostring(k); return 0 end,
  __newindex = function(t, k, v) log[#log + 1] = "set" .. tostring(k); rawset(t, k, v) end,
}
local t = setmetatable({ 3, 1, 2 }, mt)
table.sort(t)
print(rawget(t, 1), rawget(t, 2), rawget(t, 3), #log)
table.insert(t, 4)
table.insert(t, 1, 0)
print(#t, rawget(t, 1), rawget(t, 5), #log)
print(table.remove(t), table.remove(t, 1), #t, #log)
print(table.concat(t, ","), #log)
print(table.maxn(t), table.getn(t), #log)
local empty = setmetatable({}, mt)
print(table.remove(empty), #log)
table.insert(empty, "x")
print(rawget(empty, 1), #log)
print(table.concat(empty), #log)
local holes = setmetatable({}, { __index = { "a", "b", "c" } })
print(#holes, table.concat(holes), table.getn(holes), table.maxn(holes))
print("done lib_table_raw")
