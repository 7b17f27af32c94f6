-- long brackets: levels, leading newline, nested brackets, no escapes
local a = [[plain]]
local b = [==[with ]] inside]==]
local c = [[
first newline skipped]]
local d = [[

two newlines: one kept]]
local e = [=[a\nb\t]=]
local g = [[multi
line
text]]
print(a, b, c)
print(d)
print(e, #e)
print(g, #g)
print([[]] == "", #[[
]])
local lvl3 = [===[ ]=] ]==] ]===]
print(lvl3)
print(#[[
x
]])
-- a long comment does not end at ]] of a different level
--[==[ comment with ]] inside
still comment ]==]
print("after comment")
--[[ short ]] print("same line after long comment")
print(("[[x]]"):len(), "[[" .. "]]")
local nested = "contains [[brackets]] in a short string"
print(nested)
local code = [[return "loaded"]]
print(loadstring(code)())
print("done str_long")
