-- sched.lua: a cooperative scheduler built on coroutines. Tasks call
-- sched.sleep(ms) or sched.wait(event) and are resumed in wake-time order
-- (ties in spawn order). Time (ms) comes from the caller: a virtual clock on a
-- host, a tmr alarm on the device.
local M = {}
local create, resume, status, yield = coroutine.create, coroutine.resume,
                                      coroutine.status, coroutine.yield

local Sched = {}
Sched.__index = Sched

function M.new(log)
  return setmetatable({ now = 0, seq = 0, tasks = {}, waiting = {},
                        errors = {}, log = log }, Sched)
end

-- called from inside a task
function M.sleep(ms) return yield("sleep", ms) end
function M.wait(event) return yield("wait", event) end

function Sched:spawn(name, fn, ...)
  self.seq = self.seq + 1
  local task = { name = name, co = create(fn), wake = self.now, seq = self.seq,
                 args = { n = select("#", ...), ... } }
  self.tasks[#self.tasks + 1] = task
  return task
end

function Sched:count()
  local n = #self.tasks
  for _, list in pairs(self.waiting) do n = n + #list end
  return n
end

-- wake every task waiting for event; returns how many were woken
function Sched:signal(event, value)
  local list = self.waiting[event]
  if not list then return 0 end
  self.waiting[event] = nil
  for _, task in ipairs(list) do
    task.wake, task.args = self.now, { n = 1, value }
    self.tasks[#self.tasks + 1] = task
  end
  return #list
end

local function before(a, b)
  if a.wake ~= b.wake then return a.wake < b.wake end
  return a.seq < b.seq
end

-- resume one task and file it according to what it yielded
function Sched:resume(task)
  local a = task.args
  task.args = nil
  local ok, what, arg = resume(task.co, unpack(a, 1, a.n))
  if not ok then
    self.errors[#self.errors + 1] = task.name .. ": " .. tostring(what)
    if self.log then self.log("task " .. task.name .. " failed: " .. tostring(what)) end
  elseif status(task.co) == "dead" then
    task.result = what
  elseif what == "wait" then
    self.waiting[arg] = self.waiting[arg] or {}
    table.insert(self.waiting[arg], task)
  else
    task.wake, task.args = self.now + (tonumber(arg) or 0), { n = 0 }
    self.tasks[#self.tasks + 1] = task
  end
end

-- run every task that is due at time now; returns the number resumed
function Sched:step(now)
  if now and now > self.now then self.now = now end
  local ran = 0
  while true do
    table.sort(self.tasks, before)
    local task = self.tasks[1]
    if not task or task.wake > self.now then break end
    table.remove(self.tasks, 1)
    self:resume(task)
    ran = ran + 1
    if ran > 1000 then break end -- a task that never sleeps
  end
  return ran
end

-- host use: advance a virtual clock until time `limit` or nothing is left
function Sched:run(limit)
  while true do
    table.sort(self.tasks, before)
    local t = self.tasks[1] and self.tasks[1].wake
    if not t or t > limit then break end
    self:step(t)
  end
  if limit > self.now then self.now = limit end
  return self:count()
end

-- device use: step every period ms from a tmr alarm (nil without tmr)
function Sched:attach(period)
  if not (tmr and tmr.create) then return nil end
  local timer = tmr.create()
  timer:alarm(period, tmr.ALARM_AUTO, function()
    self:step(self.now + period)
    if self:count() == 0 then timer:unregister() end
  end)
  self.timer = timer
  return timer
end

return M
