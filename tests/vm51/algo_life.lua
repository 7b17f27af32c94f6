-- Conway's game of life on a small torus
local W, H = 12, 10
local function newgrid() local g = {} for y = 1, H do g[y] = {} for x = 1, W do g[y][x] = 0 end end return g end
local g = newgrid()
local glider = { { 2, 1 }, { 3, 2 }, { 1, 3 }, { 2, 3 }, { 3, 3 } }
for _, p in ipairs(glider) do g[p[2]][p[1]] = 1 end
local blinker = { { 9, 7 }, { 10, 7 }, { 11, 7 } }
for _, p in ipairs(blinker) do g[p[2]][p[1]] = 1 end
local function step(cur)
  local nxt = newgrid()
  for y = 1, H do
    for x = 1, W do
      local n = 0
      for dy = -1, 1 do
        for dx = -1, 1 do
          if dx ~= 0 or dy ~= 0 then
            n = n + cur[(y + dy - 1) % H + 1][(x + dx - 1) % W + 1]
          end
        end
      end
      local alive = cur[y][x] == 1
      nxt[y][x] = (n == 3 or (alive and n == 2)) and 1 or 0
    end
  end
  return nxt
end
local function show(cur)
  local rows = {}
  for y = 1, H do
    local r = {}
    for x = 1, W do r[x] = cur[y][x] == 1 and "#" or "." end
    rows[y] = table.concat(r)
  end
  return rows
end
local function population(cur) local n = 0 for y = 1, H do for x = 1, W do n = n + cur[y][x] end end return n end
for gen = 1, 24 do g = step(g) end
for _, r in ipairs(show(g)) do print(r) end
print("population", population(g))
print("done algo_life")
