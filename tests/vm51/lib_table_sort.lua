-- table.sort with the default order: numbers, strings, sizes 0..n,
-- already sorted, reversed, duplicates; raw access
local function show(t) local o = {} for i = 1, #t do o[i] = tostring(t[i]) end return table.concat(o, " ") end
local function lcg(seed)
  local x = seed
  return function() x = (x * 1103515245 + 12345) % 2147483648; return x end
end
for n = 0, 12 do
  local r, t = lcg(n + 1), {}
  for i = 1, n do t[i] = r() % 20 end
  table.sort(t)
  print(n, show(t))
end
local t = {}
for i = 1, 100 do t[i] = 101 - i end
table.sort(t)
print(t[1], t[50], t[100])
for i = 1, 100 do t[i] = i end
table.sort(t)
print(t[1], t[50], t[100])
local r = lcg(42)
for i = 1, 200 do t[i] = r() % 1000 end
table.sort(t)
local ok = true
for i = 2, 200 do ok = ok and t[i - 1] <= t[i] end
print("sorted", ok, t[1], t[200])
local s = { "pear", "apple", "fig", "banana", "Apple", "apple2", "", "z", "10", "9" }
table.sort(s)
print(show(s))
local f = { 3.5, -1, 2^40, -2^40, 0, 1/0, -1/0, 0.1 }
table.sort(f)
print(show(f))
local same = { 5, 5, 5, 5, 5, 5 }
table.sort(same)
print(show(same))
print(pcall(table.sort, { 1, "x", 2 }))
print(pcall(table.sort, { {}, {} }))
print(pcall(table.sort))
print(pcall(table.sort, "x"))
print(pcall(table.sort, {}, 1))
print(pcall(table.sort, {}, "x"))
print(table.sort({}), select("#", table.sort({ 2, 1 })))
-- __lt is used for tables
local mt = { __lt = function(a, b) return a.v < b.v end }
local objs = {}
for i, v in ipairs({ 4, 2, 9, 1, 7 }) do objs[i] = setmetatable({ v = v }, mt) end
table.sort(objs)
local o = {}
for i = 1, #objs do o[i] = objs[i].v end
print(table.concat(o, " "))
print("done lib_table_sort")
