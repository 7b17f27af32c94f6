-- a double-ended queue with head/tail indexes, and a ring buffer
local Deque = {}
Deque.__index = Deque
function Deque.new() return setmetatable({ first = 0, last = -1 }, Deque) end
function Deque:pushleft(v) self.first = self.first - 1 self[self.first] = v end
function Deque:pushright(v) self.last = self.last + 1 self[self.last] = v end
function Deque:popleft()
  if self.first > self.last then return nil end
  local v = self[self.first]
  self[self.first] = nil
  self.first = self.first + 1
  return v
end
function Deque:popright()
  if self.first > self.last then return nil end
  local v = self[self.last]
  self[self.last] = nil
  self.last = self.last - 1
  return v
end
function Deque:size() return self.last - self.first + 1 end
local d = Deque.new()
for i = 1, 5 do d:pushright(i) end
for i = 1, 3 do d:pushleft(-i) end
print(d:size(), d:popleft(), d:popright(), d:popleft(), d:size())
-- long-running FIFO use: indexes grow but memory does not
local q = Deque.new()
local sum = 0
for i = 1, 900 do
  q:pushright(i)
  if i % 3 == 0 then sum = sum + q:popleft() + q:popleft() end
end
print(q:size(), sum, q.first, q.last)
-- ring buffer of fixed capacity
local Ring = {}
Ring.__index = Ring
function Ring.new(cap) return setmetatable({ cap = cap, buf = {}, head = 1, n = 0 }, Ring) end
function Ring:push(v)
  local idx = (self.head + self.n - 1) % self.cap + 1
  if self.n == self.cap then self.head = self.head % self.cap + 1 else self.n = self.n + 1 end
  self.buf[idx] = v
end
function Ring:items()
  local out = {}
  for i = 0, self.n - 1 do out[#out + 1] = self.buf[(self.head + i - 1) % self.cap + 1] end
  return table.concat(out, ",")
end
local r = Ring.new(4)
for i = 1, 10 do r:push(i) end
print(r:items())
-- breadth-first search on a grid using the deque
local grid = {
  "S.#.....",
  ".##.###.",
  "....#...",
  ".##...#E",
}
local rows, cols = #grid, #grid[1]
local function at(rr, cc) return grid[rr]:sub(cc, cc) end
local dist = {}
local bq = Deque.new()
bq:pushright({ 1, 1 })
dist[1 * 100 + 1] = 0
local goal
while bq:size() > 0 do
  local cell = bq:popleft()
  local cr, cc = cell[1], cell[2]
  if at(cr, cc) == "E" then goal = dist[cr * 100 + cc] break end
  for _, dlt in ipairs({ { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } }) do
    local nr, nc = cr + dlt[1], cc + dlt[2]
    if nr >= 1 and nr <= rows and nc >= 1 and nc <= cols and at(nr, nc) ~= "#" and not dist[nr * 100 + nc] then
      dist[nr * 100 + nc] = dist[cr * 100 + cc] + 1
      bq:pushright({ nr, nc })
    end
  end
end
print("shortest path", goal)
print("done algo_queue")
