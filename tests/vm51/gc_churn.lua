-- allocation churn far beyond the heap size: garbage must be reclaimed
local total = 0
for round = 1, 200 do
  local t = {}
  for i = 1, 50 do t[i] = { i, round } end
  total = total + #t
end
print("tables", total)
local len = 0
for round = 1, 300 do
  local s = string.rep("x", round % 50) .. round .. string.rep("y", 20)
  len = len + #s
end
print("strings", len)
local cl = 0
for round = 1, 2000 do
  local f = function() return round end
  cl = cl + f()
end
print("closures", cl)
local parts = {}
for i = 1, 100 do
  parts[#parts + 1] = tostring(i * 3.5)
  if #parts > 20 then parts = { table.concat(parts) } end
end
print("concat chain", #table.concat(parts))
collectgarbage()
print("done gc_churn")
