-- __metatable: getmetatable returns the field, setmetatable refuses
local secret = { __index = { hidden = "value" }, __metatable = "protected!" }
local t = setmetatable({}, secret)
print(t.hidden, getmetatable(t))
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
local tbl_guard = setmetatable({}, { __metatable = { fake = true } })
print(getmetatable(tbl_guard).fake)
local zero = setmetatable({}, { __metatable = 0 })
print(getmetatable(zero))
print(pcall(setmetatable, zero, {}))
local f = setmetatable({}, { __metatable = false })
print(getmetatable(f))
print(pcall(setmetatable, f, {}))
-- rawset and the metatable itself still work
rawset(t, "own", 1)
print(rawget(t, "own"), t.own)
-- a protected string metatable field is visible through getmetatable("")
print(getmetatable("").__metatable)
-- __metatable = nil does not protect
local open = setmetatable({}, { __metatable = nil })
print((pcall(setmetatable, open, {})))
print("done meta_protect")
