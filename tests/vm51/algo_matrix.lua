-- matrices: multiply, transpose, determinant, identity, power
local function mat(rows) return rows end
local function mul(a, b)
  local r = {}
  for i = 1, #a do
    r[i] = {}
    for j = 1, #b[1] do
      local s = 0
      for k = 1, #b do s = s + a[i][k] * b[k][j] end
      r[i][j] = s
    end
  end
  return r
end
local function transpose(a)
  local r = {}
  for i = 1, #a[1] do r[i] = {} for j = 1, #a do r[i][j] = a[j][i] end end
  return r
end
local function det(a)
  local n = #a
  local m = {}
  for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = a[i][j] end end
  local d = 1
  for c = 1, n do
    local p = c
    for r = c + 1, n do if math.abs(m[r][c]) > math.abs(m[p][c]) then p = r end end
    if m[p][c] == 0 then return 0 end
    if p ~= c then m[p], m[c] = m[c], m[p] d = -d end
    d = d * m[c][c]
    for r = c + 1, n do
      local f = m[r][c] / m[c][c]
      for k = c, n do m[r][k] = m[r][k] - f * m[c][k] end
    end
  end
  return d
end
local function show(a)
  local rows = {}
  for i = 1, #a do rows[i] = table.concat(a[i], " ") end
  return table.concat(rows, " | ")
end
local A = mat({ { 1, 2, 3 }, { 4, 5, 6 } })
local B = mat({ { 7, 8 }, { 9, 10 }, { 11, 12 } })
print(show(mul(A, B)))
print(show(transpose(A)))
print(show(mul(transpose(A), A)))
print(det({ { 2, 0, 1 }, { 1, 3, 2 }, { 1, 1, 1 } }), det({ { 1, 2 }, { 2, 4 } }), string.format("%.4f", det({ { 4, 3 }, { 6, 3 } })))
local I = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }
local M = { { 2, 1, 0 }, { 0, 2, 1 }, { 1, 0, 2 } }
print(show(mul(M, I)) == show(M))
local P = I
for _ = 1, 5 do P = mul(P, M) end
print(show(P))
-- a larger product checksum
local n = 12
local X, Y = {}, {}
for i = 1, n do X[i], Y[i] = {}, {} for j = 1, n do X[i][j] = (i + j) % 7 Y[i][j] = (i * j) % 5 end end
local Z = mul(X, Y)
local sum = 0
for i = 1, n do for j = 1, n do sum = sum + Z[i][j] * i end end
print("checksum", sum)
print("done algo_matrix")
