-- strbuild: building strings with .., string.format and table.concat (each below 4 KB)
local total, check = 0, 0
for round = 1, 9000 do
  local parts = {}
  for i = 1, 60 do parts[i] = string.format("%d:%d", round, i) end
  local s = table.concat(parts, ",")
  local t = ""
  for i = 1, 30 do t = t .. i .. ";" end
  total = total + #s + #t
  check = (check * 31 + s:byte(#s) + t:byte(5)) % 1000003
end
print("strbuild", total, check)
