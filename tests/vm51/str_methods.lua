-- method syntax on strings through the string metatable
local s = "Method Calls"
print(s:upper(), s:lower(), s:len(), s:sub(1, 6), s:rep(2, nil))
print(("%d-%s"):format(5, "x"), ("a,b"):find(","), ("abc"):byte(2))
print(#s, s:reverse(), s:match("%u%l+$"), s:gsub("%s", "_"))
print(("x"):rep(3):upper():len())
print(s.len == string.len, s.upper == string.upper)
print(("abc")[1], ("abc").nosuch)
local mt = getmetatable("")
print(type(mt), mt.__index == string)
print(pcall(function() return ("x"):nosuchmethod() end))
gnum = 5
print(pcall(function() return gnum:upper() end))
local num = 42
print(pcall(function() return ("x").y.z end))
print(string.format("%s", num), tostring(num):len())
print(("chain"):upper():lower():rep(2):sub(3, 7))
print("done str_methods")
