-- a trie, an LRU cache and KMP string search
local Trie = {}
Trie.__index = Trie
function Trie.new() return setmetatable({ root = {} }, Trie) end
function Trie:insert(w) local n = self.root for c in w:gmatch(".") do n[c] = n[c] or {} n = n[c] end n.word = true end
function Trie:prefixed(p)
  local n = self.root
  for c in p:gmatch(".") do n = n[c] if not n then return {} end end
  local out = {}
  local function walk(node, acc)
    if node.word then out[#out + 1] = acc end
    local ks = {}
    for k in pairs(node) do if k ~= "word" then ks[#ks + 1] = k end end
    table.sort(ks)
    for _, k in ipairs(ks) do walk(node[k], acc .. k) end
  end
  walk(n, p)
  return out
end
local t = Trie.new()
for _, w in ipairs({ "car", "card", "care", "cart", "cat", "dog", "do", "dot" }) do t:insert(w) end
print(table.concat(t:prefixed("car"), " "), "|", table.concat(t:prefixed("do"), " "), "|", #t:prefixed("x"))
-- LRU cache with a doubly linked list and a map
local LRU = {}
LRU.__index = LRU
function LRU.new(cap) local h = {} h.prev, h.next = h, h return setmetatable({ cap = cap, map = {}, head = h, n = 0 }, LRU) end
function LRU:unlink(node) node.prev.next, node.next.prev = node.next, node.prev end
function LRU:front(node) local h = self.head node.next, node.prev = h.next, h h.next.prev = node h.next = node end
function LRU:get(k) local node = self.map[k] if not node then return nil end self:unlink(node) self:front(node) return node.v end
function LRU:put(k, v)
  local node = self.map[k]
  if node then node.v = v self:unlink(node) self:front(node) return end
  if self.n == self.cap then
    local last = self.head.prev
    self:unlink(last)
    self.map[last.k] = nil
    self.n = self.n - 1
  end
  node = { k = k, v = v }
  self:front(node)
  self.map[k] = node
  self.n = self.n + 1
end
function LRU:keys() local out, node = {}, self.head.next while node ~= self.head do out[#out + 1] = node.k node = node.next end return table.concat(out, ",") end
local c = LRU.new(3)
c:put("a", 1) c:put("b", 2) c:put("c", 3)
c:get("a")
c:put("d", 4)
print(c:keys(), c:get("b"), c:get("c"))
c:put("a", 10)
print(c:keys(), c:get("a"))
-- KMP search
local function kmp(text, pat)
  local fail = { [1] = 0 }
  local k = 0
  for i = 2, #pat do
    while k > 0 and pat:sub(k + 1, k + 1) ~= pat:sub(i, i) do k = fail[k] end
    if pat:sub(k + 1, k + 1) == pat:sub(i, i) then k = k + 1 end
    fail[i] = k
  end
  local res = {}
  k = 0
  for i = 1, #text do
    while k > 0 and pat:sub(k + 1, k + 1) ~= text:sub(i, i) do k = fail[k] end
    if pat:sub(k + 1, k + 1) == text:sub(i, i) then k = k + 1 end
    if k == #pat then res[#res + 1] = i - #pat + 1 k = fail[k] end
  end
  return res
end
print(table.concat(kmp("abababcabababcab", "ababc"), ","), table.concat(kmp("aaaaa", "aa"), ","), #kmp("abc", "d"))
print("done algo_structures")
