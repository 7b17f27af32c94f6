-- permutations, combinations, power sets, binomials, next permutation
local function perms(a)
  local out = {}
  local function go(k)
    if k > #a then out[#out + 1] = table.concat(a) return end
    for i = k, #a do
      a[k], a[i] = a[i], a[k]
      go(k + 1)
      a[k], a[i] = a[i], a[k]
    end
  end
  go(1)
  table.sort(out)
  return out
end
local p = perms({ "a", "b", "c", "d" })
print(#p, table.concat(p, " ", 1, 8))
local function combos(n, k)
  local out, cur = {}, {}
  local function go(start)
    if #cur == k then out[#out + 1] = table.concat(cur) return end
    for i = start, n do cur[#cur + 1] = i go(i + 1) cur[#cur] = nil end
  end
  go(1)
  return out
end
local c = combos(5, 3)
print(#c, table.concat(c, " "))
local function powerset(s)
  local out = { "" }
  for i = 1, #s do
    local n = #out
    for j = 1, n do out[#out + 1] = out[j] .. s:sub(i, i) end
  end
  table.sort(out)
  return out
end
local ps = powerset("abcd")
print(#ps, table.concat(ps, ","))
local function binom(n, k)
  local r = 1
  for i = 1, k do r = r * (n - k + i) / i end
  return r
end
local row = {}
for k = 0, 10 do row[#row + 1] = binom(10, k) end
print(table.concat(row, " "))
print(binom(52, 5), binom(30, 15))
local function nextperm(a)
  local i = #a - 1
  while i >= 1 and a[i] >= a[i + 1] do i = i - 1 end
  if i < 1 then return false end
  local j = #a
  while a[j] <= a[i] do j = j - 1 end
  a[i], a[j] = a[j], a[i]
  local l, r = i + 1, #a
  while l < r do a[l], a[r] = a[r], a[l] l, r = l + 1, r - 1 end
  return true
end
local arr = { 1, 2, 2, 3 }
local count = 1
while nextperm(arr) do count = count + 1 end
print("distinct perms of 1223", count, table.concat(arr))
print("done algo_combinatorics")
