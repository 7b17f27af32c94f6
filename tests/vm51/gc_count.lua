-- collectgarbage("count") only compared: growth, release, string interning
collectgarbage()
local base = collectgarbage("count")
local keep = {}
for i = 1, 200 do keep[i] = { i } end
local grown = collectgarbage("count")
print("grown", grown > base)
keep = nil
collectgarbage()
local released = collectgarbage("count")
print("released", released < grown)
-- equal strings are one object: building the same string twice costs once
local s1 = string.rep("ab", 500)
collectgarbage()
local c1 = collectgarbage("count")
local s2 = string.rep("ab", 500)
collectgarbage()
local c2 = collectgarbage("count")
print("interned", s1 == s2, c2 - c1 < 0.5)
-- step-wise collection eventually completes a cycle
local junk = {}
for i = 1, 100 do junk[i] = { tostring(i) } end
junk = nil
local finished = false
for i = 1, 1000 do if collectgarbage("step") then finished = true break end end
print("step cycle finished", finished)
print("done gc_count")
