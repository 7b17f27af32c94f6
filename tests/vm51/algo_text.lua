-- text utilities: run-length encoding, rot13, word wrap, palindromes, anagrams
local function rle(s)
  local out = {}
  local i = 1
  while i <= #s do
    local c = s:sub(i, i)
    local j = i
    while s:sub(j + 1, j + 1) == c do j = j + 1 end
    out[#out + 1] = (j - i + 1) .. c
    i = j + 1
  end
  return table.concat(out)
end
local function unrle(s) return (s:gsub("(%d+)(%D)", function(n, c) return c:rep(tonumber(n)) end)) end
local src = "WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWBWWWWWWWWWWWWWW"
print(rle(src), unrle(rle(src)) == src)
local function rot13(s)
  return (s:gsub("%a", function(c)
    local base = c:match("%l") and 97 or 65
    return string.char((c:byte() - base + 13) % 26 + base)
  end))
end
print(rot13("Hello, World!"), rot13(rot13("Round Trip")))
local function wrap(text, width)
  local lines, line = {}, ""
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then lines[#lines + 1] = line line = word
    else line = #line > 0 and line .. " " .. word or word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
for _, l in ipairs(wrap("The quick brown fox jumps over the lazy dog and keeps running far away", 20)) do
  print("|" .. l .. string.rep(" ", 20 - #l) .. "|")
end
local function ispal(s) s = s:lower():gsub("[^%a]", "") return s == s:reverse() end
print(ispal("A man, a plan, a canal: Panama"), ispal("not one"))
local function sig(w) local t = {} for c in w:gmatch(".") do t[#t + 1] = c end table.sort(t) return table.concat(t) end
local groups = {}
for _, w in ipairs({ "listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog" }) do
  local k = sig(w)
  groups[k] = groups[k] or {}
  table.insert(groups[k], w)
end
local out = {}
for _, g in pairs(groups) do table.sort(g) out[#out + 1] = table.concat(g, "/") end
table.sort(out)
print(table.concat(out, " "))
print("done algo_text")
