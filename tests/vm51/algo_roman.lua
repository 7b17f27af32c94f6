-- roman numerals both ways, and other number formatting
local vals = { 1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1 }
local syms = { "M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I" }
local function toroman(n)
  local out = {}
  for i, v in ipairs(vals) do while n >= v do out[#out + 1] = syms[i] n = n - v end end
  return table.concat(out)
end
local digit = { I = 1, V = 5, X = 10, L = 50, C = 100, D = 500, M = 1000 }
local function fromroman(s)
  local total, prev = 0, 0
  for i = #s, 1, -1 do
    local v = digit[s:sub(i, i)]
    if v < prev then total = total - v else total = total + v prev = v end
  end
  return total
end
local list = {}
for _, n in ipairs({ 1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999 }) do
  local r = toroman(n)
  list[#list + 1] = n .. "=" .. r .. (fromroman(r) == n and "" or "!")
end
print(table.concat(list, " "))
local ok = true
for n = 1, 500 do if fromroman(toroman(n)) ~= n then ok = false end end
print("roundtrip 1..500", ok)
local function tobase(n, b)
  local d = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  if n == 0 then return "0" end
  local out = ""
  while n > 0 do local r = n % b out = d:sub(r + 1, r + 1) .. out n = (n - r) / b end
  return out
end
print(tobase(255, 2), tobase(255, 16), tobase(1295, 36), tobase(0, 7), tonumber(tobase(123456, 7), 7))
local function commas(n)
  local s = tostring(n)
  local int, frac = s:match("^(%d+)(.*)$")
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return int .. frac
end
print(commas(1), commas(1000), commas(1234567), commas(100000), commas(12345.75))
print("done algo_roman")
