-- singly and doubly linked lists: push, reverse, remove, iterate
local function fromarray(a)
  local head
  for i = #a, 1, -1 do head = { v = a[i], next = head } end
  return head
end
local function toarray(l) local out = {} while l do out[#out + 1] = l.v l = l.next end return out end
local function show(l) return table.concat(toarray(l), ",") end
local function reverse(l)
  local prev
  while l do l.next, prev, l = prev, l, l.next end
  return prev
end
local l = fromarray({ 1, 2, 3, 4, 5 })
print(show(l))
l = reverse(l)
print(show(l))
local function remove(l2, v)
  if l2 and l2.v == v then return l2.next end
  local node = l2
  while node and node.next do
    if node.next.v == v then node.next = node.next.next break end
    node = node.next
  end
  return l2
end
l = remove(l, 3) l = remove(l, 5) l = remove(l, 42)
print(show(l))
-- merge two sorted lists
local function merge(a, b)
  local dummy = {}
  local tail = dummy
  while a and b do
    if a.v <= b.v then tail.next, a = a, a.next else tail.next, b = b, b.next end
    tail = tail.next
  end
  tail.next = a or b
  return dummy.next
end
print(show(merge(fromarray({ 1, 4, 7, 10 }), fromarray({ 2, 3, 8, 11, 12 }))))
-- doubly linked list with sentinel
local DL = {}
DL.__index = DL
function DL.new() local s = {} s.prev, s.next = s, s return setmetatable({ s = s, n = 0 }, DL) end
function DL:pushback(v) local s = self.s local node = { v = v, prev = s.prev, next = s } s.prev.next = node s.prev = node self.n = self.n + 1 return node end
function DL:unlink(node) node.prev.next = node.next node.next.prev = node.prev self.n = self.n - 1 end
function DL:items(backwards)
  local out, s = {}, self.s
  local node = backwards and s.prev or s.next
  while node ~= s do out[#out + 1] = node.v node = backwards and node.prev or node.next end
  return table.concat(out, " ")
end
local d = DL.new()
local nodes = {}
for i = 1, 6 do nodes[i] = d:pushback(i * 10) end
d:unlink(nodes[2]) d:unlink(nodes[6])
print(d.n, d:items(), "|", d:items(true))
-- cycle detection (Floyd)
local function hascycle(h)
  local slow, fast = h, h
  while fast and fast.next do
    slow, fast = slow.next, fast.next.next
    if slow == fast then return true end
  end
  return false
end
local c = fromarray({ 1, 2, 3, 4 })
print(hascycle(c))
c.next.next.next.next = c.next
print(hascycle(c))
print("done algo_linked_list")
