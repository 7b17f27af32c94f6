-- table.concat: separators, ranges, numbers, errors
local t = { 1, 2, "three", 4.5 }
print(table.concat(t))
print(table.concat(t, ", "))
print(table.concat(t, "-", 2))
print(table.concat(t, "-", 2, 3))
print("[" .. table.concat(t, "-", 3, 2) .. "]")
print("[" .. table.concat({}) .. "]", "[" .. table.concat({}, "x") .. "]")
print(table.concat({ "a" }, "sep"))
-- Debian's lua5.1 words this "invalid value (table) at index 2 ...",
-- stock 5.1.5 and NodeMCU "invalid value (at index 2) ...": print the
-- words both share (tests/deviations/lib51-libraries.md).
local function cerr(...)
  local ok, e = pcall(table.concat, ...)
  return ok, (e:gsub("%(%a+%) at index", "at index")
               :gsub("%(at index (%d+)%)", "at index %1"))
end
print(cerr({ 1, {}, 3 }))
print(cerr({ 1, 2 }, ",", 1, 3))
print(cerr({ true }))
print(pcall(table.concat, nil))
print(table.concat({ "a", "b" }, 3))
print(table.concat({ 1, 2, 3 }, "", "2"))
-- building a long string in pieces
local parts = {}
for i = 1, 200 do parts[i] = string.format("%03d", i) end
local s = table.concat(parts, ",")
print(#s, s:sub(1, 15), s:sub(-11))
-- concat of concat
local rows = {}
for r = 1, 4 do
  local cols = {}
  for c = 1, 4 do cols[c] = r * c end
  rows[r] = table.concat(cols, "\t")
end
print(table.concat(rows, "\n"))
print("done tab_concat")
