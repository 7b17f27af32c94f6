-- table.sort: numbers, strings, comparators, stability does not matter here
local function show(t) return table.concat(t, " ") end
local t = { 5, 2, 8, 1, 9, 3, 7, 4, 6, 0 }
table.sort(t)
print(show(t))
table.sort(t, function(a, b) return a > b end)
print(show(t))
local s = { "pear", "apple", "fig", "banana", "kiwi" }
table.sort(s)
print(show(s))
table.sort(s, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(show(s))
local empty = {}
table.sort(empty)
print(#empty)
local single = { 1 }
table.sort(single)
print(show(single))
-- already sorted, reversed, all equal
local asc, desc, same = {}, {}, {}
for i = 1, 100 do asc[i] = i; desc[i] = 101 - i; same[i] = 7 end
table.sort(asc); table.sort(desc); table.sort(same)
print(asc[1], asc[100], desc[1], desc[100], same[50])
-- records by several keys
local people = {
  { name = "ann", age = 30 }, { name = "bob", age = 25 }, { name = "cid", age = 30 },
  { name = "dan", age = 25 }, { name = "eve", age = 35 },
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
local names = {}
for i, p in ipairs(people) do names[i] = p.name .. p.age end
print(show(names))
-- pseudo-random data from a linear congruential generator
local seed = 12345
local function lcg() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local r = {}
for i = 1, 200 do r[i] = lcg() % 1000 end
table.sort(r)
local okr = true
for i = 2, #r do if r[i - 1] > r[i] then okr = false end end
print("sorted", okr, r[1], r[100], r[200])
-- mixed numbers and strings cannot be compared
print(pcall(table.sort, { 1, "x", 2 }))
print(pcall(table.sort, { {}, {} }))
print(pcall(table.sort, { 3, 1, 2 }, 42))
print("done tab_sort")
