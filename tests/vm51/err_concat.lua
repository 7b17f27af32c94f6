-- concatenation errors
vals = { t = {}, b = true, n = nil, num = 3 }
local function try(f) print(pcall(f)) end
try(function() return "a" .. {} end)
try(function() return {} .. "a" end)
try(function() return "a" .. vals.t end)
try(function() return vals.b .. "x" end)
try(function() return "x" .. vals.n end)
try(function() return "x" .. vals.num .. vals.missing end)
try(function() return undefined_str .. "x" end)
try(function() return "x" .. print end)
try(function() return 1 .. 2 .. {} end)
try(function() return "a" .. "b" .. nil end)
try(function() return vals.t .. vals.t end)
print("x" .. vals.num .. 1.5)
print("done err_concat")
