-- an ASCII Mandelbrot set: float arithmetic in tight loops
local chars = " .:-=+*#%@"
local rows = {}
local total = 0
for y = -12, 12 do
  local line = {}
  for x = -39, 20 do
    local cr, ci = x / 20, y / 10
    local zr, zi, n = 0, 0, 0
    while n < 50 and zr * zr + zi * zi < 4 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      n = n + 1
    end
    total = total + n
    local idx = math.floor(n / 50 * (#chars - 1)) + 1
    line[#line + 1] = chars:sub(idx, idx)
  end
  rows[#rows + 1] = table.concat(line)
end
for i = 1, #rows, 2 do print(rows[i]) end
print("iterations", total)
print("done algo_mandel")
