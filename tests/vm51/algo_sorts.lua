-- classic sorting algorithms agree with table.sort
local seed = 2024
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
local function data(n) local t = {} for i = 1, n do t[i] = rnd(1000) end return t end
local function copy(t) local c = {} for i = 1, #t do c[i] = t[i] end return c end
local function same(a, b) for i = 1, #a do if a[i] ~= b[i] then return false end end return #a == #b end
local function insertion(t)
  for i = 2, #t do
    local v, j = t[i], i - 1
    while j >= 1 and t[j] > v do t[j + 1] = t[j] j = j - 1 end
    t[j + 1] = v
  end
  return t
end
local function quick(t, lo, hi)
  lo, hi = lo or 1, hi or #t
  if lo < hi then
    local p, i = t[hi], lo - 1
    for j = lo, hi - 1 do if t[j] <= p then i = i + 1 t[i], t[j] = t[j], t[i] end end
    t[i + 1], t[hi] = t[hi], t[i + 1]
    quick(t, lo, i)
    quick(t, i + 2, hi)
  end
  return t
end
local function merge(t)
  if #t <= 1 then return t end
  local mid = math.floor(#t / 2)
  local l, r = {}, {}
  for i = 1, mid do l[#l + 1] = t[i] end
  for i = mid + 1, #t do r[#r + 1] = t[i] end
  l, r = merge(l), merge(r)
  local out, i, j = {}, 1, 1
  while i <= #l and j <= #r do
    if l[i] <= r[j] then out[#out + 1] = l[i] i = i + 1 else out[#out + 1] = r[j] j = j + 1 end
  end
  for k = i, #l do out[#out + 1] = l[k] end
  for k = j, #r do out[#out + 1] = r[k] end
  return out
end
local function heap(t)
  local n = #t
  local function sift(i, size)
    while true do
      local big, l, r = i, 2 * i, 2 * i + 1
      if l <= size and t[l] > t[big] then big = l end
      if r <= size and t[r] > t[big] then big = r end
      if big == i then return end
      t[i], t[big] = t[big], t[i]
      i = big
    end
  end
  for i = math.floor(n / 2), 1, -1 do sift(i, n) end
  for size = n, 2, -1 do t[1], t[size] = t[size], t[1] sift(1, size - 1) end
  return t
end
local function shell(t)
  local gap = math.floor(#t / 2)
  while gap > 0 do
    for i = gap + 1, #t do
      local v, j = t[i], i
      while j > gap and t[j - gap] > v do t[j] = t[j - gap] j = j - gap end
      t[j] = v
    end
    gap = math.floor(gap / 2)
  end
  return t
end
for _, n in ipairs({ 0, 1, 2, 10, 100, 200 }) do
  local d = data(n)
  local ref = copy(d)
  table.sort(ref)
  print(n, same(insertion(copy(d)), ref), same(quick(copy(d)), ref), same(merge(copy(d)), ref),
    same(heap(copy(d)), ref), same(shell(copy(d)), ref), ref[1], ref[#ref])
end
print("done algo_sorts")
