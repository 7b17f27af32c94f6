-- binary search tree: insert, find, in-order walk, height, delete
local function insert(node, k)
  if not node then return { k = k } end
  if k < node.k then node.l = insert(node.l, k) elseif k > node.k then node.r = insert(node.r, k) end
  return node
end
local function inorder(node, out)
  out = out or {}
  if node then inorder(node.l, out) out[#out + 1] = node.k inorder(node.r, out) end
  return out
end
local function height(node) if not node then return 0 end return 1 + math.max(height(node.l), height(node.r)) end
local function find(node, k)
  while node do
    if k == node.k then return true end
    node = k < node.k and node.l or node.r
  end
  return false
end
local function minnode(node) while node.l do node = node.l end return node end
local function delete(node, k)
  if not node then return nil end
  if k < node.k then node.l = delete(node.l, k)
  elseif k > node.k then node.r = delete(node.r, k)
  else
    if not node.l then return node.r end
    if not node.r then return node.l end
    local m = minnode(node.r)
    node.k = m.k
    node.r = delete(node.r, m.k)
  end
  return node
end
local root
for _, k in ipairs({ 50, 30, 70, 20, 40, 60, 80, 35, 45, 65 }) do root = insert(root, k) end
print(table.concat(inorder(root), " "), height(root))
print(find(root, 45), find(root, 55))
root = delete(root, 30)
root = delete(root, 50)
root = delete(root, 99)
print(table.concat(inorder(root), " "), root.k, height(root))
-- string keys
local words
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words = insert(words, w) end
print(table.concat(inorder(words), " "))
-- a degenerate (sorted) insert order gives a tall tree
local tall
for i = 1, 100 do tall = insert(tall, i) end
print("tall", height(tall))
print("done algo_bst")
