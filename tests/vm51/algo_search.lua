-- binary search, lower/upper bounds, and interpolation over sorted arrays
local t = {}
for i = 1, 200 do t[i] = i * 3 end
local function bsearch(a, x)
  local lo, hi = 1, #a
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    if a[mid] == x then return mid elseif a[mid] < x then lo = mid + 1 else hi = mid - 1 end
  end
  return nil, lo
end
print(bsearch(t, 3), bsearch(t, 600), bsearch(t, 300), bsearch(t, 301))
print(bsearch({}, 5))
local function lower_bound(a, x)
  local lo, hi = 1, #a + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if a[mid] < x then lo = mid + 1 else hi = mid end
  end
  return lo
end
local dup = { 1, 2, 2, 2, 3, 5, 5, 8 }
print(lower_bound(dup, 2), lower_bound(dup, 4), lower_bound(dup, 0), lower_bound(dup, 9))
local steps = 0
for x = 0, 610, 7 do
  local lo, hi = 1, #t
  while lo <= hi do
    steps = steps + 1
    local mid = math.floor((lo + hi) / 2)
    if t[mid] == x then break elseif t[mid] < x then lo = mid + 1 else hi = mid - 1 end
  end
end
print("steps", steps)
-- search in strings: all occurrences with find
local text = "abracadabra abracadabra"
local occ = {}
local init = 1
while true do
  local s, e = text:find("abra", init, true)
  if not s then break end
  occ[#occ + 1] = s
  init = s + 1
end
print(table.concat(occ, ","))
print("done algo_search")
