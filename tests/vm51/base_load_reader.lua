-- load with reader functions, chunk names, reader errors
local function pieces(t)
  local i = 0
  return function() i = i + 1 return t[i] end
end
local f = load(pieces({ "return ", "1 ", "+ ", "41" }))
print(f())
f = load(pieces({ "local a, b = ...\n", "return a * b, ", "'x'" }))
print(f(6, 7))
-- a reader that returns one character at a time
local src = "local t = {} for i = 1, 5 do t[i] = i * i end return table.concat(t, ' ')"
local pos = 0
f = load(function()
  pos = pos + 1
  if pos <= #src then return src:sub(pos, pos) end
end)
print(f())
-- an empty chunk
f = load(function() return nil end)
print(type(f), select("#", f()))
-- empty strings end the chunk too
local n = 0
f = load(function() n = n + 1 if n == 1 then return "return 'first'" end return "" end)
print(f())
-- syntax errors name the chunk
print(load(pieces({ "return +" })))
print(load(pieces({ "x = = 1" }), "=mychunk"))
print(load(pieces({ "\n\nlocal = 3" }), "@virtual.lua"))
print(load(pieces({ "return 1" }), "named") ~= nil)
-- a reader returning something that is not a string
local once = false
print(load(function() if once then return nil end once = true return 42 end))
print(pcall(load, function() return true end))
print(pcall(load, function() return {} end))
-- a reader that raises an error
print(pcall(load, function() error("reader broke") end))
-- runtime errors carry the chunk name
f = load(pieces({ "local x = 1\n", "return no_such_global.y" }), "=rt")
print(pcall(f))
f = load(pieces({ "error('boom')" }), "=named")
print(pcall(f))
print("done base_load_reader")
