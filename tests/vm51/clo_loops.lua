-- each loop iteration creates a fresh local for closures to capture
local fs = {}
for i = 1, 5 do fs[i] = function() return i end end
local out = {}
for i = 1, 5 do out[i] = fs[i]() end
print("numeric for", table.concat(out, " "))
fs = {}
for k, v in ipairs({ "a", "b", "c" }) do fs[k] = function() return k .. v end end
print("generic for", fs[1](), fs[2](), fs[3]())
fs = {}
local j = 0
while j < 4 do
  j = j + 1
  local captured = j * j
  fs[j] = function() return captured end
end
print("while", fs[1](), fs[2](), fs[3](), fs[4]())
fs = {}
local k = 0
repeat
  k = k + 1
  local c = k
  fs[k] = function() c = c + 100 return c end
until c >= 3
print("repeat", fs[1](), fs[1](), fs[2](), fs[3]())
-- a variable declared outside the loop is shared by all closures
fs = {}
local shared = 0
for i = 1, 3 do shared = i fs[i] = function() return shared end end
print("shared", fs[1](), fs[2](), fs[3]())
-- modifying the captured loop variable does not change the iteration
local seen = {}
for i = 1, 3 do
  local f = function() i = i * 10 return i end
  seen[#seen + 1] = f()
  seen[#seen + 1] = i
end
print("modified", table.concat(seen, " "))
-- break out of a loop with live closures
fs = {}
for i = 1, 10 do
  fs[#fs + 1] = function() return i end
  if i == 3 then break end
end
print("break", #fs, fs[3]())
-- nested loops
fs = {}
for x = 1, 2 do for y = 1, 2 do fs[#fs + 1] = function() return x .. y end end end
print("nested", fs[1](), fs[2](), fs[3](), fs[4]())
print("done clo_loops")
