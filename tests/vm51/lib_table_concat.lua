-- table.concat: separators, ranges i..j, numbers, empty ranges, errors.
-- The message for a bad element is stock 5.1's (and NodeMCU's) "invalid
-- value (at index 2) in table for 'concat'"; Debian's lua5.1 words it
-- "invalid value (table) at index 2 ...", so only its start is printed.
local function err(...)
  local ok, e = pcall(table.concat, ...)
  if ok then return ok, e end
  return ok, (string.gsub(e, "^(invalid value).*(in table for 'concat')$", "%1 ... %2"))
end
local t = { "a", "b", "c", "d", "e" }
print(table.concat(t), table.concat(t, ", "), table.concat(t, "", 2), table.concat(t, "-", 2, 4))
print(table.concat(t, "-", 4, 2) == "", table.concat(t, "-", 3, 3), table.concat({}, "x"), table.concat({}))
print(table.concat({ 1, 2.5, -3, "x" }, " "), table.concat({ 1, 2, 3 }, 0), table.concat(t, 1.5, 1, 2))
print(err(t, "", -1, 1))
print(err(t, "", 0, 1))
print(err(t, "", 1, 6))
print(err({ 1, {}, 3 }))
print(err({ 1, 2, true }))
print(err({ "a", nil, "c" }, ",", 1, 3))
print(err({ print }))
print(pcall(table.concat))
print(pcall(table.concat, "abc"))
print(pcall(table.concat, {}, {}))
print(pcall(table.concat, t, ",", "x"))
print(pcall(table.concat, t, ",", 1, "y"))
print(table.concat(t, ",", "2", "3"), table.concat(t, nil, nil, 2), table.concat({ [2] = "x", [3] = "y" }, ",", 2))
-- raw access: __index is not consulted
local proxy = setmetatable({}, { __index = function(_, i) return "v" .. i end })
print(err(proxy, ",", 1, 2))
print(table.concat(setmetatable({ "r" }, { __index = { "no", "no2" } }), ","))
local big = {}
for i = 1, 300 do big[i] = i % 10 end
print(#table.concat(big), #table.concat(big, ", "))
print("done lib_table_concat")
