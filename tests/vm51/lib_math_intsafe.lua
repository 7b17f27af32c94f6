-- the functions NodeMCU's integer build keeps (abs ceil floor max min pow
-- random randomseed sqrt), used so that the float VM, lua5.1 and the
-- integer VM (nodemcu-sim --int) all print the same
print(math.abs(-5), math.abs(5), math.abs(0), math.abs(-2147483647))
print(math.floor(7), math.floor(-7), math.ceil(7), math.ceil(-7), math.floor("12"))
print(math.max(3, 9, -2), math.min(3, 9, -2), math.max(5), math.min(-1, -1))
print(math.max(2147483647, 0), math.min(-2147483647, 0))
print(math.pow(2, 10), math.pow(-3, 3), math.pow(7, 0), math.pow(0, 5), math.pow(10, 9))
print(math.sqrt(0), math.sqrt(1), math.sqrt(16), math.sqrt(1048576), math.sqrt(1000000))
print(type(math.huge), math.huge > 2147483646, math.floor(math.huge) == math.huge)
math.randomseed(123)
local ok = true
for i = 1, 300 do
  local a, b = math.random(10), math.random(-5, 5)
  ok = ok and a >= 1 and a <= 10 and b >= -5 and b <= 5
end
print("ranges", ok, math.random(3, 3), math.random(1))
print(pcall(math.random, 0))
print(pcall(math.random, 3, 2))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.max))
print(pcall(math.min, 1, "x"))
print(pcall(math.abs))
print(pcall(math.floor, {}))
print(pcall(math.ceil))
print(pcall(math.pow, 1))
print(pcall(math.sqrt, "x"))
print(pcall(math.randomseed))
print("done lib_math_intsafe")
