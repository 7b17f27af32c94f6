-- every character class and its complement over all 256 bytes
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local classes = { "a", "c", "d", "l", "p", "s", "u", "w", "x", "z" }
for _, c in ipairs(classes) do
  for _, k in ipairs({ c, c:upper() }) do
    local members = {}
    for i = 0, 255 do
      if string.find(string.char(i), "^%" .. k .. "$") then
        members[#members + 1] = i
      end
    end
    local first, last = members[1], members[#members]
    local ascii = {}
    for _, m in ipairs(members) do
      if m >= 32 and m < 127 then ascii[#ascii + 1] = string.char(m) end
    end
    print("%" .. k, #members, first, last, table.concat(ascii))
  end
end
-- the same classes inside sets
for _, c in ipairs(classes) do
  local _, n = string.gsub(s, "[%" .. c .. "]", "")
  local _, m = string.gsub(s, "[^%" .. c .. "]", "")
  print("[%" .. c .. "]", n, m, n + m)
end
-- escaped non-alphanumerics are themselves
for _, c in ipairs({ ".", "%", "(", ")", "[", "]", "*", "+", "-", "?", "^", "$" }) do
  print(c, string.find("ab" .. c .. "cd", "%" .. c))
end
print(string.find("abc", "%g"), string.find("agc", "%g"))
print(string.match("x.y", "."), string.match("\0", ".") == "\0", #string.match("\0\0", "%z+"))
print(string.gsub("hello world", "%w", "."))
print(string.gsub("a1 b2 c3", "%d", "#"))
print(string.gsub("  x  ", "%s", "_"))
print("done lib_string_match_classes")
