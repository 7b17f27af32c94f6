-- collectgarbage options; memory figures are only compared, never printed
print(collectgarbage("collect"))
print(collectgarbage())
print(type(collectgarbage("count")))
local before = collectgarbage("count")
local big = {}
for i = 1, 100 do big[i] = { i, tostring(i) } end
local during = collectgarbage("count")
print("grew", during > before)
big = nil
collectgarbage("collect")
local after = collectgarbage("count")
print("shrank", after < during)
print(type(collectgarbage("step")))
print(collectgarbage("step", 0) == true or collectgarbage("step", 0) == false)
print(collectgarbage("stop"))
print(collectgarbage("restart"))
collectgarbage("setpause", 150)
print(collectgarbage("setpause", 200))
collectgarbage("setstepmul", 300)
print(collectgarbage("setstepmul", 200))
print(pcall(collectgarbage, "bogus"))
print(pcall(collectgarbage, 42))
-- garbage churn with collection in the middle stays bounded
local high = 0
for round = 1, 5 do
  local tmp = {}
  for i = 1, 100 do tmp[i] = string.rep("x", i % 20) .. i end
  tmp = nil
  collectgarbage()
  local now = collectgarbage("count")
  if round == 1 then high = now end
  if now > high + 2 then print("leak in round", round) end
end
print("churn ok")
print("done base_collectgarbage")
