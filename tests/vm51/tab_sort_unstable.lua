-- table.sort is not stable: with equal keys the result order is 5.1's quicksort's own
local recs = {}
for i = 1, 40 do recs[i] = { key = (i * 7) % 5, id = i } end
table.sort(recs, function(a, b) return a.key < b.key end)
local out = {}
for i, r in ipairs(recs) do out[i] = r.key .. ":" .. r.id end
print(table.concat(out, " ", 1, 20))
print(table.concat(out, " ", 21, 40))
-- descending with ties
local words = { "bb", "a", "cc", "d", "ee", "f", "gg", "h", "ii", "j", "kk", "l" }
table.sort(words, function(a, b) return #a > #b end)
print(table.concat(words, " "))
-- all keys equal
local same = {}
for i = 1, 15 do same[i] = { v = 0, id = i } end
table.sort(same, function(a, b) return a.v < b.v end)
local ids = {}
for i, r in ipairs(same) do ids[i] = r.id end
print(table.concat(ids, " "))
print("done tab_sort_unstable")
