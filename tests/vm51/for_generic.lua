-- generic for: stateless and stateful iterators, closures, extra values
local function iter(t, i)
  i = i + 1
  if t[i] then return i, t[i] end
end
local function myipairs(t) return iter, t, 0 end
local out = {}
for i, v in myipairs({ "a", "b", "c" }) do out[#out + 1] = i .. v end
print(table.concat(out, " "))
local function range(n, step)
  local i = 0
  return function()
    i = i + (step or 1)
    if i <= n then return i end
  end
end
out = {}
for v in range(10, 3) do out[#out + 1] = v end
print(table.concat(out, " "))
-- the iterator receives the state and the control variable
local log = {}
local function logged(state, ctl)
  log[#log + 1] = tostring(state) .. ":" .. tostring(ctl)
  if ctl < 3 then return ctl + 1, "extra" end
end
for a, b in logged, "S", 0 do end
print(table.concat(log, " "))
-- more than three values in the explist are dropped
local n = 0
for x in range(3), nil, nil, "ignored" do n = n + 1 end
print(n)
-- iterating over string.gmatch and string bytes
out = {}
for w, d in ("a1 b22 c333"):gmatch("(%a)(%d+)") do out[#out + 1] = w .. "=" .. #d end
print(table.concat(out, ","))
-- break and nested generic loops
local found
for i, row in ipairs({ { 1, 2 }, { 3, 4 }, { 5, 6 } }) do
  for j, v in ipairs(row) do
    if v == 4 then found = i .. "," .. j break end
  end
  if found then break end
end
print(found)
-- a closure iterator that returns multiple values
local function enum(t)
  local i = 0
  return function() i = i + 1 if t[i] then return i, t[i], t[i] * 2 end end
end
for i, v, d in enum({ 5, 6 }) do print(i, v, d) end
-- pairs over a table with sorted output
local keys = {}
for k in pairs({ z = 1, a = 2, m = 3 }) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys))
print("done for_generic")
