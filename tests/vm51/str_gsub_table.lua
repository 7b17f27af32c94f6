-- gsub with a table: lookups by whole match or first capture; false/nil keep
local vars = { name = "Ann", age = 7, city = false }
print(("$name is $age"):gsub("%$(%w+)", vars))
print(("$name from $city"):gsub("%$(%w+)", vars))
print(("$unknown stays"):gsub("%$(%w+)", vars))
print(("hello"):gsub(".", { h = "H", o = 0 }))
print(("a b c"):gsub("%a", { a = 1, b = true and "B" }))
local counter = setmetatable({}, { __index = function(_, k) return "<" .. k .. ">" end })
print(("x y"):gsub("%a", counter))
print(pcall(string.gsub, "abc", "%a", { a = {} }))
local numbers = { ["1"] = "one", ["2"] = "two" }
print(("1 2 3"):gsub("%d", numbers))
print(("k1=v1;k2=v2"):gsub("(%w+)=(%w+)", { k1 = "first", k2 = "second" }))
print("done str_gsub_table")
