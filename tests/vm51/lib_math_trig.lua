-- trigonometric and hyperbolic functions, deg and rad, pi
local function r(x) return string.format("%.12g", x) end
local angles = { 0, 0.5, 1, -1, math.pi / 6, math.pi / 4, math.pi / 2, math.pi, 2 * math.pi, 10 }
for _, a in ipairs(angles) do
  print(r(a), r(math.sin(a)), r(math.cos(a)), r(math.tan(a)), r(math.sinh(a)), r(math.cosh(a)), r(math.tanh(a)))
end
for _, x in ipairs({ -1, -0.5, 0, 0.5, 1 }) do
  print(r(x), r(math.asin(x)), r(math.acos(x)), r(math.atan(x)))
end
print(math.asin(2) ~= math.asin(2), math.acos(-2) ~= math.acos(-2), r(math.atan(1/0)), r(math.atan(-1/0)))
local out = {}
for _, p in ipairs({ { 1, 1 }, { 1, -1 }, { -1, -1 }, { -1, 1 }, { 0, 0 }, { 0, -1 }, { 1, 0 }, { -0.0, -1 } }) do
  out[#out + 1] = r(math.atan2(p[1], p[2]))
end
print(table.concat(out, " "))
print(math.pi, r(math.pi), math.deg(math.pi), math.rad(180), math.deg(1), math.rad(1))
print(math.deg(0), math.rad(-90), math.deg(-math.pi / 2), math.rad(360) == 2 * math.pi)
print(math.sin(1/0) ~= math.sin(1/0), math.tanh(1/0), math.tanh(-1/0), math.cosh(-1/0), math.sinh(-1/0))
print(math.sin(-0.0), math.tan(-0.0), math.atan(-0.0))
print(pcall(math.sin))
print(pcall(math.cos, "a"))
print(pcall(math.atan2, 1))
print(pcall(math.atan2, nil, 1))
print(pcall(math.deg, {}))
print(pcall(math.rad))
print(pcall(math.tanh, true))
print("done lib_math_trig")
