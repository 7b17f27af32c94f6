-- arbitrary precision integers as arrays of base-10^4 limbs: factorials and powers
local BASE = 10000
local function fromnum(n) local t = {} repeat t[#t + 1] = n % BASE n = math.floor(n / BASE) until n == 0 return t end
local function mulsmall(a, m)
  local carry = 0
  local r = {}
  for i = 1, #a do
    local v = a[i] * m + carry
    r[i] = v % BASE
    carry = math.floor(v / BASE)
  end
  while carry > 0 do r[#r + 1] = carry % BASE carry = math.floor(carry / BASE) end
  return r
end
local function add(a, b)
  local r, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local v = (a[i] or 0) + (b[i] or 0) + carry
    r[i] = v % BASE
    carry = math.floor(v / BASE)
  end
  if carry > 0 then r[#r + 1] = carry end
  return r
end
local function mul(a, b)
  local r = {}
  for i = 1, #a + #b do r[i] = 0 end
  for i = 1, #a do
    local carry = 0
    for j = 1, #b do
      local v = r[i + j - 1] + a[i] * b[j] + carry
      r[i + j - 1] = v % BASE
      carry = math.floor(v / BASE)
    end
    r[i + #b] = r[i + #b] + carry
  end
  while #r > 1 and r[#r] == 0 do r[#r] = nil end
  return r
end
local function tostr(a)
  local parts = { tostring(a[#a]) }
  for i = #a - 1, 1, -1 do parts[#parts + 1] = string.format("%04d", a[i]) end
  return table.concat(parts)
end
local f = fromnum(1)
for i = 2, 50 do f = mulsmall(f, i) end
print("50!", tostr(f))
local p = fromnum(1)
for _ = 1, 100 do p = mulsmall(p, 2) end
print("2^100", tostr(p))
local a, b = fromnum(0), fromnum(1)
for _ = 1, 150 do a, b = b, add(a, b) end
print("fib150", tostr(a))
print("sq", tostr(mul(fromnum(99999999), fromnum(99999999))))
local digits = 0
local s = tostr(f)
for d in s:gmatch("%d") do digits = digits + tonumber(d) end
print("digit sum of 50!", digits, #s)
print("done algo_bigint")
