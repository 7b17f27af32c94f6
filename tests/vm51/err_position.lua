-- error positions: "file:line:" for the line of the failing instruction
local function try(f, ...) print(pcall(f, ...)) end
try(function()
  error("on line 4")
end)
try(function()
  local t = {}
  t.x = 1
  return t.x +
    undefined_here
end)
try(function()
  return no_such_fn(
    1,
    2
  )
end)
local function lvl(n)
  if n == 0 then error("deep at line 19") end
  return (lvl(n - 1))
end
try(lvl, 10)
try(function() for i = 1, 3 do if i == 3 then error("in loop " .. i) end end end)
local mt = { __index = function(t, k) error("index hook line 24") end }
try(function() return setmetatable({}, mt).x end)
local mt2 = { __add = function() error("add hook", 2) end }
try(function()
  return setmetatable({}, mt2) + 1
end)
-- error levels pointing at callers
local function check(v) if type(v) ~= "number" then error("expected number", 2) end return v end
try(function()
  return check("x")
end)
try(function()
  local v = check({})
  return v
end)
try(function() return check(1) end)
-- one-line chunk compiled at runtime keeps its own name
try(loadstring("\n\nerror('third line')", "=rt"))
print("done err_position")
