-- sort: table.sort of 200 numbers and strings, with and without a comparator
local seed = 42
local function rnd() seed = (seed * 16807) % 2147483647 return seed end
local check = 0
local desc = function(x, y) return x > y end
for round = 1, 720 do
  local a, s = {}, {}
  for i = 1, 200 do a[i] = rnd() % 10000 s[i] = tostring(rnd() % 1000) end
  table.sort(a)
  table.sort(s)
  check = check + a[1] + a[200] + #s[1]
  table.sort(a, desc)
  table.sort(s, function(x, y) return #x < #y or (#x == #y and x < y) end)
  check = check + a[1] + #s[200]
end
print("sort", check)
