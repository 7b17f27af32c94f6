-- math trigonometry and hyperbolics, printed with fixed precision
local f = function(x) return string.format("%.6f", x) end
local m = math
print(f(m.sin(1)), f(m.cos(1)), f(m.tan(1)))
print(f(m.sin(0)), f(m.cos(0)), f(m.sin(m.pi / 2)), f(m.cos(m.pi)))
print(f(m.asin(0.5)), f(m.acos(0.5)), f(m.atan(1)))
print(f(m.atan2(1, 1)), f(m.atan2(1, -1)), f(m.atan2(-1, -1)), f(m.atan2(0, -1)))
print(f(m.atan2(1, 0)), f(m.atan2(0, 0)))
print(f(m.sinh(1)), f(m.cosh(1)), f(m.tanh(1)), f(m.tanh(100)))
print(f(m.deg(m.pi)), f(m.rad(180)), f(m.deg(1)), f(m.rad(1)))
print(tostring(m.asin(2)) == tostring(m.asin(2)), m.asin(2) ~= m.asin(2))
local s = 0
for i = 0, 359, 15 do s = s + m.sin(m.rad(i)) ^ 2 + m.cos(m.rad(i)) ^ 2 end
print(f(s))
for deg = 0, 90, 30 do
  print(deg, f(m.sin(m.rad(deg))), f(m.cos(m.rad(deg))))
end
print("done math_trig")
