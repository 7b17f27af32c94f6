-- bitwise operations emulated with arithmetic on 32-bit values
local function band(a, b) local r, bit = 0, 1 for _ = 1, 32 do if a % 2 == 1 and b % 2 == 1 then r = r + bit end a, b, bit = math.floor(a / 2), math.floor(b / 2), bit * 2 end return r end
local function bor(a, b) local r, bit = 0, 1 for _ = 1, 32 do if a % 2 == 1 or b % 2 == 1 then r = r + bit end a, b, bit = math.floor(a / 2), math.floor(b / 2), bit * 2 end return r end
local function bxor(a, b) local r, bit = 0, 1 for _ = 1, 32 do if a % 2 ~= b % 2 then r = r + bit end a, b, bit = math.floor(a / 2), math.floor(b / 2), bit * 2 end return r end
local function bnot(a) return 4294967295 - a end
local function lshift(a, n) return (a * 2 ^ n) % 4294967296 end
local function rshift(a, n) return math.floor(a / 2 ^ n) end
local function rol(a, n) return bor(lshift(a, n), rshift(a, 32 - n)) end
local function popcount(a) local c = 0 while a > 0 do c = c + a % 2 a = math.floor(a / 2) end return c end
print(band(12, 10), bor(12, 10), bxor(12, 10), bnot(0), bnot(4294967295))
print(lshift(1, 31), lshift(3, 31), rshift(4294967295, 28), rol(2147483648, 1), rol(1, 4))
print(popcount(0), popcount(255), popcount(4294967295), popcount(2863311530))
-- a 32-bit FNV-1a hash
local function fnv1a(s)
  local h = 2166136261
  for i = 1, #s do
    h = bxor(h, s:byte(i))
    h = (h * 16777619) % 4294967296
  end
  return h
end
print(fnv1a(""), fnv1a("a"), fnv1a("foobar"))
-- xorshift32 pseudo random numbers (deterministic)
local state = 2463534242
local function xorshift()
  state = bxor(state, lshift(state, 13))
  state = bxor(state, rshift(state, 17))
  state = bxor(state, lshift(state, 5))
  return state
end
local seq = {}
for i = 1, 5 do seq[i] = xorshift() end
print(table.concat(seq, " "))
print("done algo_bits")
