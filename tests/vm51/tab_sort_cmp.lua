-- table.sort with comparators that count calls, inconsistent comparators, metamethods
local t = {}
for i = 1, 50 do t[i] = (i * 37) % 50 end
local calls = 0
table.sort(t, function(a, b) calls = calls + 1 return a < b end)
print(t[1], t[25], t[50], calls > 0)
-- sorting objects with __lt
local V = {}
V.__lt = function(a, b) return a.v < b.v end
local objs = {}
for i = 1, 10 do objs[i] = setmetatable({ v = (i * 7) % 11 }, V) end
table.sort(objs)
local vs = {}
for i, o in ipairs(objs) do vs[i] = o.v end
print(table.concat(vs, " "))
-- an erroring comparator propagates the error
print(pcall(table.sort, { 3, 2, 1 }, function(a, b) error("cmp failed", 0) end))
-- an invalid order function (always true) is detected or tolerated; no crash
local bad = {}
for i = 1, 20 do bad[i] = i end
local ok, err = pcall(table.sort, bad, function(a, b) return true end)
print("always-true comparator", ok or err)
-- sort by string length then reverse alphabetic
local w = { "aa", "b", "ccc", "dd", "e", "fff" }
table.sort(w, function(a, b)
  if #a ~= #b then return #a < #b end
  return a > b
end)
print(table.concat(w, ","))
-- sort descending by key lookup in another table
local score = { x = 3, y = 1, z = 2 }
local keys = { "x", "y", "z" }
table.sort(keys, function(a, b) return score[a] > score[b] end)
print(table.concat(keys))
print("done tab_sort_cmp")
