-- calling non-functions: globals, fields, methods, results
obj = { field = 1, sub = {} }
local function try(f) print(pcall(f)) end
try(function() undefined_fn() end)
try(function() obj.nofield() end)
try(function() obj:nomethod() end)
try(function() obj.sub.deeper() end)
try(function() obj.field() end)
try(function() ("str")() end)
try(function() (42)() end)
try(function() local r = obj.sub.x.y end)
try(function() return obj["not" .. "here"]() end)
try(function() string.nosuch("x") end)
try(function() return math.floor.x end)
try(function() coroutine.resume() end)
try(function() obj.sub:method() end)
try(function() return (undefined_fn or nil)() end)
try(function() setmetatable({}, { __index = function() return 5 end }).x() end)
print("done err_call")
