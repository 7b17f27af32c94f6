-- select: counting, positive and negative indexes, errors
print("main chunk args", select("#", ...))
print(select("#"))
print(select("#", nil))
print(select("#", nil, nil, nil))
print(select(1, "a", "b", "c"))
print(select(2, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select("#", select(4, "a", "b", "c")))
print(select(-1, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(select("2", "x", "y"))
print(select(2.9, "x", "y", "z"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, "x", "a"))
print(pcall(select))
local function count(...) return select("#", ...) end
print(count(), count(nil), count(1, nil), count(nil, nil, 3))
local function last(...) return (select(select("#", ...), ...)) end
print(last(1, 2, 3), last("only"))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s
end
print(sum(1, 2, 3, nil, 5), sum())
-- select with many values
local t = {}
for i = 1, 100 do t[i] = i end
print(select("#", unpack(t)), select(99, unpack(t)))
print("done base_select")
