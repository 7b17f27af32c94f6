-- string.gsub with table and function replacements: lookups by the
-- first capture, false/nil keep the match, numbers are converted
local map = { name = "Lua", version = 5.1, off = false, ["$x"] = "dollar" }
print(string.gsub("$name $version $off $none", "%$(%w+)", map))
print(string.gsub("$name $x", "%$%w+", map))
print(string.gsub("hello world", "%w+", { hello = "HI" }))
print(string.gsub("a b c", "%a", { a = 1, b = true and "B" }))
print(string.gsub("abc", "", { [""] = "-" }))
print(string.gsub("abc", "()", { [1] = "one", [3] = "three" }))
print(string.gsub("hello world", "%w+", string.upper))
print(string.gsub("hello world", "(%w)(%w*)", function(a, b) return a:upper() .. b end))
print(string.gsub("x=1 y=2", "(%w)=(%w)", function(k, v) return v .. "=" .. k end))
print(string.gsub("abc", "%w", function() end))
print(string.gsub("abc", "%w", function() return false end))
print(string.gsub("abc", "%w", function() return nil end))
print(string.gsub("abc", "%w", function(c) return c:byte() end))
print(string.gsub("abc", "%w", function(c) return c:byte() + 0.5 end))
print(string.gsub("abc", "()", function(p) return "[" .. p .. "]" end))
print(string.gsub("abc", "%w", function(...) return select("#", ...) end))
print(string.gsub("abc", "(%w)()", function(...) return select("#", ...) end))
local calls = 0
print(string.gsub("aaaa", "a", function() calls = calls + 1 return "b" end, 2), calls)
-- a table with __index: gsub uses the normal (non-raw) lookup
local mt = setmetatable({}, { __index = function(t, k) return "<" .. k .. ">" end })
print(string.gsub("ab", "%w", mt))
-- nested gsub from the callback
print(string.gsub("a-b c-d", "%S+", function(w) return (string.gsub(w, "-", "+")) end))
print(pcall(string.gsub, "abc", "%w", { a = {} }))
print(pcall(string.gsub, "abc", "%w", function() return {} end))
print(pcall(string.gsub, "abc", "%w", function() return true end))
print(pcall(string.gsub, "abc", "%w", { b = print }))
print(pcall(string.gsub, "abc", "%w", function() error("boom", 0) end))
print("done lib_string_gsub_table_func")
