-- string building: concatenation in loops vs table.concat buffers
local s = ""
for i = 1, 100 do s = s .. i .. "," end
print(#s, s:sub(1, 20), s:sub(-12))
local buf = {}
for i = 1, 100 do buf[#buf + 1] = i .. "," end
local t = table.concat(buf)
print(#t, t == s)
-- nested buffers
local lines = {}
for r = 1, 10 do
  local cells = {}
  for c = 1, 10 do cells[c] = string.format("%3d", r * c) end
  lines[r] = table.concat(cells)
end
local grid = table.concat(lines, "\n")
print(#grid)
print(lines[10])
-- a string builder object with a tower of strings (Hanoi-style merging)
local Builder = {}
Builder.__index = Builder
function Builder.new() return setmetatable({ stack = { "" } }, Builder) end
function Builder:add(str)
  local st = self.stack
  st[#st + 1] = str
  for i = #st - 1, 1, -1 do
    if #st[i] > #st[i + 1] then break end
    st[i] = st[i] .. table.remove(st)
  end
  return self
end
function Builder:result() return table.concat(self.stack) end
local b = Builder.new()
for i = 1, 300 do b:add(string.char(65 + i % 26)) end
local r = b:result()
print(#r, r:sub(1, 26), #b.stack <= 10)
-- rep and gsub based building
local line = ("-"):rep(40)
print(line, #line)
local padded = ("%-10s|%10s"):format("left", "right")
print(padded)
local csv = {}
for i = 1, 5 do csv[#csv + 1] = table.concat({ i, i * i, i ^ 3 }, ";") end
print(table.concat(csv, " / "))
print("done algo_strbuild")
