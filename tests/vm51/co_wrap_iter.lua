-- coroutine-based iterators over data structures, with early exit and reuse
local function chars(s) return coroutine.wrap(function() for i = 1, #s do coroutine.yield(i, s:sub(i, i)) end end) end
local out = {}
for i, c in chars("hello") do out[#out + 1] = c:upper() .. i end
print(table.concat(out, " "))
local function flatten(t)
  return coroutine.wrap(function()
    local function walk(x) if type(x) == "table" then for _, v in ipairs(x) do walk(v) end else coroutine.yield(x) end end
    walk(t)
  end)
end
out = {}
for v in flatten({ 1, { 2, { 3, 4 }, 5 }, { { { 6 } } }, 7 }) do out[#out + 1] = v end
print(table.concat(out, ","))
-- early exit: abandoned iterators are just garbage
local abandoned = 0
for round = 1, 20 do
  for v in flatten({ 1, 2, 3, 4 }) do if v == 2 then abandoned = abandoned + 1 break end end
end
print("abandoned", abandoned)
collectgarbage()
-- zip two generators
local function zip(a, b)
  return coroutine.wrap(function()
    while true do
      local x, y = a(), b()
      if x == nil or y == nil then return end
      coroutine.yield(x, y)
    end
  end)
end
local function count(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
out = {}
for x, y in zip(count(4), flatten({ "a", { "b", "c" }, "d", "e" })) do out[#out + 1] = x .. y end
print(table.concat(out, " "))
-- pairs-like iterator over sorted keys
local function spairs(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return coroutine.wrap(function() for _, k in ipairs(keys) do coroutine.yield(k, t[k]) end end)
end
out = {}
for k, v in spairs({ zeta = 1, alpha = 2, mid = 3 }) do out[#out + 1] = k .. "=" .. v end
print(table.concat(out, " "))
print("done co_wrap_iter")
