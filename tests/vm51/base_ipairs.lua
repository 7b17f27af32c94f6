-- ipairs: stops at the first nil, ignores metamethods in 5.1
local out = {}
for i, v in ipairs({ "a", "b", "c" }) do out[#out + 1] = i .. "=" .. v end
print(table.concat(out, " "))
out = {}
for i, v in ipairs({ 1, 2, nil, 4 }) do out[#out + 1] = v end
print(#out, table.concat(out, " "))
for i, v in ipairs({}) do print("never") end
local proxy = setmetatable({}, { __index = function(_, i) if i <= 3 then return i * 10 end end })
local c = 0
for _ in ipairs(proxy) do c = c + 1 end
print("proxy iterations", c)
local t = { [1] = "x", [2] = "y", [4] = "skip" }
c = 0
for _ in ipairs(t) do c = c + 1 end
print("stops at hole", c)
local f, st, init = ipairs(t)
print(type(f), st == t, init)
print(f(t, 0))
print(f(t, 1))
print(f(t, 2))
print(pcall(ipairs))
print(pcall(ipairs, nil))
-- modifying values during ipairs
local arr = { 1, 2, 3, 4, 5 }
for i, v in ipairs(arr) do arr[i] = v * v end
print(table.concat(arr, ","))
-- appending during ipairs extends the walk
local grow = { 1 }
for i, v in ipairs(grow) do if i < 5 then grow[i + 1] = v * 2 end end
print(table.concat(grow, ","))
print("done base_ipairs")
