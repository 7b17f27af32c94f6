-- binarytrees: allocate and walk many small binary trees (GC pressure at a 44 KB heap)
local function bottomup(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottomup(depth), bottomup(depth) }
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local maxdepth = 7
local longlived = bottomup(5)
local out = {}
for depth = 4, maxdepth, 1 do
  local iters = 2 ^ (maxdepth - depth + 11)
  local c = 0
  for i = 1, iters do c = c + check(bottomup(depth)) end
  out[#out + 1] = iters .. "x" .. depth .. "=" .. c
end
print("binarytrees", table.concat(out, " "), check(longlived))
