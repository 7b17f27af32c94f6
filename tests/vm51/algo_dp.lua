-- dynamic programming: LCS, edit distance, knapsack, coin change, LIS
local function lcs(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = "" end
  for i = 1, #a do
    local cur = { [0] = "" }
    for j = 1, #b do
      if a:sub(i, i) == b:sub(j, j) then cur[j] = prev[j - 1] .. a:sub(i, i)
      elseif #prev[j] >= #cur[j - 1] then cur[j] = prev[j]
      else cur[j] = cur[j - 1] end
    end
    prev = cur
  end
  return prev[#b]
end
print(lcs("AGGTAB", "GXTXAYB"), lcs("abcdef", "acf"), "[" .. lcs("abc", "xyz") .. "]")
local function lev(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end
print(lev("kitten", "sitting"), lev("", "abc"), lev("flaw", "lawn"), lev("same", "same"))
local function knapsack(items, cap)
  local best = {}
  for w = 0, cap do best[w] = 0 end
  for _, it in ipairs(items) do
    for w = cap, it.w, -1 do
      local v = best[w - it.w] + it.v
      if v > best[w] then best[w] = v end
    end
  end
  return best[cap]
end
print(knapsack({ { w = 1, v = 1 }, { w = 3, v = 4 }, { w = 4, v = 5 }, { w = 5, v = 7 } }, 7))
local function coins(amount, denoms)
  local ways = { [0] = 1 }
  for a = 1, amount do ways[a] = 0 end
  for _, c in ipairs(denoms) do
    for a = c, amount do ways[a] = ways[a] + ways[a - c] end
  end
  return ways[amount]
end
print(coins(100, { 1, 5, 10, 25, 50 }), coins(10, { 2, 5, 3, 6 }), coins(7, { 2 }))
local function lis(a)
  local tails = {}
  for _, x in ipairs(a) do
    local lo, hi = 1, #tails + 1
    while lo < hi do local m = math.floor((lo + hi) / 2) if tails[m] < x then lo = m + 1 else hi = m end end
    tails[lo] = x
  end
  return #tails
end
print(lis({ 10, 9, 2, 5, 3, 7, 101, 18 }), lis({ 0, 1, 0, 3, 2, 3 }), lis({}))
print("done algo_dp")
