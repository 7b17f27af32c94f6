-- xpcall: handlers see the error object and decorate it
local function handler(m) return "handled: " .. tostring(m) end
print(xpcall(function() error("plain") end, handler))
print(xpcall(function() error("nopos", 0) end, handler))
print(xpcall(function() return "ok", 2 end, handler))
print(xpcall(function() error({ code = 7 }) end, function(e) return e.code * 6 end))
print(xpcall(function() error() end, function(e) return type(e) end))
print(xpcall(function() local x = undefined_global + 1 end, handler))
-- the handler's extra results are dropped
print(xpcall(function() error("x", 0) end, function(m) return m, "extra", "more" end))
-- the handler runs before unwinding: it sees the failing function's world
local trail = {}
local function deep(n)
  if n == 0 then error("deep error", 0) end
  trail[#trail + 1] = n
  return deep(n - 1) + 1
end
print(xpcall(function() return deep(5) end, function(m) return m .. " after " .. #trail end))
-- handler that is not a function
print(pcall(xpcall, function() error("x") end))
-- nested xpcall
print(xpcall(function()
  local ok, v = xpcall(function() error("in", 0) end, function(m) return "[" .. m .. "]" end)
  error(v .. " out", 0)
end, function(m) return "<" .. m .. ">" end))
-- xpcall of a callable table
local obj = setmetatable({}, { __call = function() return "called" end })
print(xpcall(obj, handler))
print("done base_xpcall")
