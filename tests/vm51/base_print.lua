-- print: argument separation, nil holes, numbers, __tostring hooks
print()
print(nil)
print(1, nil, 3)
print(true, false, nil)
print("a\tb", "c")
print("", "", "")
print(1.5, -2, 1e300, -1e-300, 7 / 2)
print("multi", "ple", "args", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
local Obj = {}
Obj.__tostring = function(o) return "Obj<" .. o.name .. ">" end
local a = setmetatable({ name = "a" }, Obj)
print("object", a, setmetatable({ name = "b" }, Obj))
print(string.rep("=", 20))
local function three() return 1, 2, 3 end
print(three())
print((three()))
print(three(), "last")
print("x", three())
-- print uses tostring from the globals
local saved = tostring
tostring = function(v) return "<" .. type(v) .. ">" end
print(1, "s", nil, true)
tostring = saved
print(1, "s", nil, true)
-- __tostring that does not return a string makes print fail
local num = setmetatable({}, { __tostring = function() return 42 end })
print(pcall(print, num))
local bad = setmetatable({}, { __tostring = function() return {} end })
print(pcall(print, bad))
print(select("#", print("returns nothing")))
print("done base_print")
