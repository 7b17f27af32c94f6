-- Fibonacci: recursive, iterative, memoized, matrix power
local function fibr(n) if n < 2 then return n end return fibr(n - 1) + fibr(n - 2) end
local function fibi(n) local a, b = 0, 1 for _ = 1, n do a, b = b, a + b end return a end
local memo = {}
local function fibm(n)
  if n < 2 then return n end
  local v = memo[n]
  if not v then v = fibm(n - 1) + fibm(n - 2) memo[n] = v end
  return v
end
local function matmul(a, b)
  return { a[1] * b[1] + a[2] * b[3], a[1] * b[2] + a[2] * b[4],
           a[3] * b[1] + a[4] * b[3], a[3] * b[2] + a[4] * b[4] }
end
local function fibmat(n)
  local result, base = { 1, 0, 0, 1 }, { 1, 1, 1, 0 }
  while n > 0 do
    if n % 2 == 1 then result = matmul(result, base) end
    base = matmul(base, base)
    n = math.floor(n / 2)
  end
  return result[2]
end
print(fibr(20), fibi(20), fibm(20), fibmat(20))
local row = {}
for i = 0, 15 do row[#row + 1] = fibi(i) end
print(table.concat(row, " "))
print(fibi(70), fibm(70), fibmat(70))
print(string.format("%.0f", fibi(78)))
print("done algo_fib")
