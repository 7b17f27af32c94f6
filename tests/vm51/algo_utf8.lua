-- UTF-8 decoding and encoding by hand (5.1 has no utf8 library)
local function decode(s)
  local cps, i = {}, 1
  while i <= #s do
    local c = s:byte(i)
    local n, cp
    if c < 0x80 then n, cp = 1, c
    elseif c < 0xE0 then n, cp = 2, c % 0x20
    elseif c < 0xF0 then n, cp = 3, c % 0x10
    else n, cp = 4, c % 0x08 end
    for j = 1, n - 1 do cp = cp * 64 + s:byte(i + j) % 64 end
    cps[#cps + 1] = cp
    i = i + n
  end
  return cps
end
local function encode(cp)
  if cp < 0x80 then return string.char(cp)
  elseif cp < 0x800 then return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64)
  elseif cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
    0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end
local s = "aé€😀 grüße"
local cps = decode(s)
local hex = {}
for i, cp in ipairs(cps) do hex[i] = string.format("U+%04X", cp) end
print(#s, #cps, table.concat(hex, " "))
local back = {}
for i, cp in ipairs(cps) do back[i] = encode(cp) end
print(table.concat(back) == s)
local count = 0
for _ in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do count = count + 1 end
print("chars by pattern", count)
print(encode(0x41) .. encode(0x3A9) .. encode(0x2603))
print("done algo_utf8")
