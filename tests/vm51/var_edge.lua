-- vararg edge cases: nil tails, select on results, table of varargs with holes, recursion on varargs
local function pack(...) return { n = select("#", ...), ... } end
local p = pack(nil, nil)
print(p.n, p[1], p[2])
p = pack()
print(p.n)
local function tailnil() return 1, nil end
print(select("#", tailnil()), select("#", (tailnil())))
local function rev(first, ...)
  if select("#", ...) == 0 then return first end
  local r = { rev(...) }
  r[#r + 1] = first
  return unpack(r)
end
print(rev(1, 2, 3, 4, 5))
local function revall(...)
  local n = select("#", ...)
  local t = { ... }
  local r = {}
  for i = 1, n do r[i] = t[n - i + 1] end
  return unpack(r, 1, n)
end
print(revall(1, nil, 3, nil))
print(select("#", revall(1, nil, 3, nil)))
local function countnils(...)
  local c = 0
  for i = 1, select("#", ...) do if select(i, ...) == nil then c = c + 1 end end
  return c
end
print(countnils(nil, 1, nil, 2, nil), countnils())
local function apply(f, ...) return f(...) end
print(apply(math.max, 3, 9, 2), apply(string.rep, "ab", 3), apply(select, "#", nil, nil))
local function varargs_in_table_ctor(...) return #{ ... }, #{ ..., "x" }, #{ "x", ... } end
print(varargs_in_table_ctor(1, 2, 3))
print("done var_edge")
