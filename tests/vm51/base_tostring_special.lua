-- tostring of inf, nan, negative zero, as this machine's lua5.1 prints them
local inf = 1 / 0
local zero = 0
local nan = zero / zero
print(inf, -inf, math.huge, -math.huge)
print(nan, -nan)
print(inf - inf, inf * 0, math.sqrt(-1))
print(-zero, zero * -1, 0 * -1)
print(1 / -zero, 1 / (zero * -1))
print("" .. inf, "" .. -inf, "" .. -zero)
print(string.format("%f %f %.2f", inf, -inf, -zero))
print(string.format("%g %e %.1f", -zero, inf, nan))
print(nan == nan, nan ~= nan, nan < 1, nan > 1, inf > 1e308)
print(-zero == zero, 1 / -zero == -inf)
print(tostring(inf) == "inf", tostring(-inf) == "-inf")
print(math.floor(inf), math.ceil(-inf), math.abs(-inf))
print(math.fmod(-1, 1), math.fmod(1, inf))
print("done base_tostring_special")
