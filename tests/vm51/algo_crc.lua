-- CRC-32 and Adler-32 with floating-point arithmetic standing in for bit operations
local function bxor(a, b)
  local r, bit = 0, 1
  while a > 0 or b > 0 do
    local x, y = a % 2, b % 2
    if x ~= y then r = r + bit end
    a, b, bit = (a - x) / 2, (b - y) / 2, bit * 2
  end
  return r
end
local crctab = {}
for i = 0, 255 do
  local c = i
  for _ = 1, 8 do
    if c % 2 == 1 then c = bxor((c - 1) / 2, 0xEDB88320) else c = c / 2 end
  end
  crctab[i] = c
end
local function crc32(s)
  local c = 0xFFFFFFFF
  for i = 1, #s do
    local idx = bxor(c % 256, s:byte(i))
    c = bxor(math.floor(c / 256), crctab[idx])
  end
  return bxor(c, 0xFFFFFFFF)
end
local function adler32(s)
  local a, b = 1, 0
  for i = 1, #s do a = (a + s:byte(i)) % 65521 b = (b + a) % 65521 end
  return b * 65536 + a
end
local function hex8(n)
  local d, out = "0123456789abcdef", ""
  for _ = 1, 8 do local r = n % 16 out = d:sub(r + 1, r + 1) .. out n = (n - r) / 16 end
  return out
end
for _, s in ipairs({ "", "a", "abc", "123456789", "The quick brown fox jumps over the lazy dog" }) do
  print(string.format("%-45q", s), hex8(crc32(s)), hex8(adler32(s)))
end
print(hex8(crctab[1]), hex8(crctab[255]), crctab[255])
print("done algo_crc")
