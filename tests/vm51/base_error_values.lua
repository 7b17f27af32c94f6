-- error() with strings, numbers, tables, nil and levels
local function try(f, ...) return pcall(f, ...) end
print(try(function() error("string message") end))
print(try(function() error("no position", 0) end))
print(try(function() error(42) end))
print(try(function() error(42, 0) end))
print(try(function() error(4.5) end))
print(try(function() error(nil) end))
print(try(function() error(true) end))
local ok, t = try(function() error({ code = 404, text = "not found" }) end)
print(ok, type(t), t.code, t.text)
local e = setmetatable({}, { __tostring = function() return "custom error object" end })
ok, t = try(function() error(e) end)
print(ok, t == e, tostring(t))
-- levels: 1 is the function calling error, 2 its caller
local function lvl1() error("level one", 1) end
local function lvl2() error("level two", 2) end
local function caller2() lvl2() end
local function lvl3() error("level three", 3) end
local function mid3() lvl3() end
local function top3() mid3() end
print(try(lvl1))
print(try(caller2))
print(try(top3))
-- rethrowing keeps the original position
print(try(function()
  local ok2, msg = pcall(error, "original")
  error(msg, 0)
end))
print(try(function()
  local ok2, msg = pcall(function() error("inner pos") end)
  error(msg)
end))
-- error with a message that is a number string
print(try(function() error("12") end))
print("done base_error_values")
