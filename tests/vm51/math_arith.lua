-- arithmetic operators: precedence, associativity, mixing ints and floats
print(1 + 2 * 3, (1 + 2) * 3, 2 ^ 3 ^ 2, (2 ^ 3) ^ 2, -2 ^ 2, (-2) ^ 2)
print(7 / 2, 7 % 2, -7 / 2, 7.5 % 2, 1 / 3 * 3 == 1, 0.1 + 0.2 == 0.3)
print(10 - 2 - 3, 100 / 10 / 2, 2 * 3 % 4, 2 + 3 .. "", "a" .. 1 + 2)
print(1 < 2 == true, not 1 == 2, not (1 == 2), -3 % 5, 3 % -5)
print(2 ^ -2, 0 ^ 0, 1 ^ 1e10, (-1) ^ 0.5 ~= (-1) ^ 0.5)
local a, b = 17, 5
print(a + b, a - b, a * b, a / b, a % b, a ^ 2, -a)
print(math.floor(a / b), a - math.floor(a / b) * b == a % b)
local x = 0
for i = 1, 100 do x = x + i * i end
print(x)
local f = 1
for i = 1, 20 do f = f * i end
print(f, string.format("%.0f", f))
local h = 0
for i = 1, 1000 do h = (h * 31 + i) % 65521 end
print(h)
print(2 ^ 31, 2 ^ 31 - 1, -(2 ^ 31), 2 ^ 32 + 1)
print(1e15 + 1, 1e16 + 1, 2 ^ 53 + 1 == 2 ^ 53)
print(3 * 1.5, 4.5 / 1.5, 0.5 * 4)
print(-0 == 0, 1 / 0 > 0, -1 / 0 < 0)
print("done math_arith")
