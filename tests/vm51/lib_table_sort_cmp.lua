-- table.sort with order functions: descending, by key, stable-looking
-- results as 5.1's quicksort leaves them, calls made, invalid orders
local function show(t) local o = {} for i = 1, #t do o[i] = tostring(t[i]) end return table.concat(o, " ") end
local t = { 5, 2, 8, 1, 9, 3, 7 }
table.sort(t, function(a, b) return a > b end)
print(show(t))
local recs = {}
local names = { "d", "b", "a", "c", "e", "b", "a", "d", "c", "e", "f", "a" }
for i, n in ipairs(names) do recs[i] = { name = n, id = i } end
table.sort(recs, function(x, y) return x.name < y.name end)
local o = {}
for i, r in ipairs(recs) do o[i] = r.name .. r.id end
print(table.concat(o, " "))
local calls = 0
local u = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 10, 11, 12, 13, 14, 15 }
table.sort(u, function(a, b) calls = calls + 1; return a < b end)
print(show(u), calls)
-- the exact sequence of comparisons of 5.1's algorithm
local seq = {}
local v = { 3, 1, 4, 1, 5, 9, 2, 6 }
table.sort(v, function(a, b) seq[#seq + 1] = a .. "<" .. b; return a < b end)
print(show(v))
print(table.concat(seq, " "))
-- inconsistent orders: errors or some order, never a crash
local function try(n, cmp, name)
  local w = {}
  for i = 1, n do w[i] = (i * 7) % 5 end
  local ok, err = pcall(table.sort, w, cmp)
  if not ok then err = tostring(err):gsub("^.-:%d+: ", "") end
  print(name, n, ok, ok and show(w) or err)
end
for _, n in ipairs({ 2, 3, 4, 5, 10, 20 }) do
  try(n, function(a, b) return true end, "always")
  try(n, function(a, b) return a <= b end, "le")
  try(n, function(a, b) return false end, "never")
end
print(pcall(table.sort, { 3, 2, 1 }, function(a, b) error("cmp failed", 0) end))
print(pcall(table.sort, { 3, 2, 1 }, function(a, b) return nil end))
local ok, e = pcall(table.sort, { 1, 2, 3 }, function(a, b) return {} < b end)
print(ok, (string.gsub(e, "^.-:%d+: ", "")))
print("done lib_table_sort_cmp")
