-- a round-robin scheduler of cooperative tasks
local tasks = {}
local log = {}
local function spawn(name, steps)
  tasks[#tasks + 1] = {
    name = name,
    co = coroutine.create(function()
      for i = 1, steps do
        log[#log + 1] = name .. i
        coroutine.yield()
      end
      return name .. " done"
    end),
  }
end
spawn("a", 3)
spawn("b", 1)
spawn("c", 4)
local finished = {}
while #tasks > 0 do
  local i = 1
  while i <= #tasks do
    local t = tasks[i]
    local ok, res = coroutine.resume(t.co)
    if not ok then error(res) end
    if coroutine.status(t.co) == "dead" then
      finished[#finished + 1] = res
      table.remove(tasks, i)
    else
      i = i + 1
    end
  end
end
print(table.concat(log, " "))
print(table.concat(finished, ", "))
-- producer / consumer with a filter in between
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({ "alpha", "beta", "gamma", "delta" }) do coroutine.yield(w) end
  end)
end
local function receive(p)
  local ok, v = coroutine.resume(p)
  return v
end
local function upper_filter(p)
  return coroutine.create(function()
    while true do
      local v = receive(p)
      if v == nil then return end
      coroutine.yield(v:upper())
    end
  end)
end
local cons = {}
local pipe = upper_filter(producer())
while true do
  local v = receive(pipe)
  if v == nil then break end
  cons[#cons + 1] = v
end
print(table.concat(cons, " "))
-- sleeping tasks with a virtual clock
local clock, wake = 0, {}
local order = {}
local function sleeper(name, delay, times)
  return coroutine.create(function()
    for i = 1, times do
      order[#order + 1] = name .. "@" .. clock
      coroutine.yield(delay)
    end
  end)
end
local pending = { sleeper("x", 3, 3), sleeper("y", 2, 4), sleeper("z", 5, 2) }
for i, co in ipairs(pending) do wake[i] = 0 end
while clock < 12 do
  for i, co in ipairs(pending) do
    if coroutine.status(co) ~= "dead" and wake[i] <= clock then
      local _, d = coroutine.resume(co)
      wake[i] = clock + (d or 0)
    end
  end
  clock = clock + 1
end
print(table.concat(order, " "))
print("done co_scheduler")
