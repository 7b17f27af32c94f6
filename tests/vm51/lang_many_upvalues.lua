-- closures with many upvalues (5.1 allows up to 60), and many locals (under 50)
local u1, u2, u3, u4, u5, u6, u7, u8, u9, u10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
local u11, u12, u13, u14, u15, u16, u17, u18, u19, u20 = 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
local u21, u22, u23, u24, u25, u26, u27, u28, u29, u30 = 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
local u31, u32, u33, u34, u35, u36, u37, u38, u39, u40 = 31, 32, 33, 34, 35, 36, 37, 38, 39, 40
local function sum40()
  return u1 + u2 + u3 + u4 + u5 + u6 + u7 + u8 + u9 + u10 + u11 + u12 + u13 + u14 + u15 + u16 + u17 + u18 + u19 + u20
    + u21 + u22 + u23 + u24 + u25 + u26 + u27 + u28 + u29 + u30 + u31 + u32 + u33 + u34 + u35 + u36 + u37 + u38 + u39 + u40
end
local function bump()
  u1, u10, u20, u30, u40 = u1 + 100, u10 + 100, u20 + 100, u30 + 100, u40 + 100
end
print(sum40())
bump()
print(sum40(), u1, u40)
-- nested: the inner closure's upvalues pass through the middle function
local function middle()
  return function() return u1 + u2 + u39 + u40 end
end
print(middle()())
-- a function with 45 locals
local function locals45()
  local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
  local b1, b2, b3, b4, b5, b6, b7, b8, b9, b10 = 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
  local c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3
  local d1, d2, d3, d4, d5, d6, d7, d8, d9, d10 = 4, 4, 4, 4, 4, 4, 4, 4, 4, 4
  local e1, e2, e3, e4, e5 = 5, 5, 5, 5, 5
  return a1 + a10 + b1 + b10 + c1 + c10 + d1 + d10 + e1 + e5, select("#", a1, a2, a3, a4, a5, a6, a7, a8, a9, a10,
    b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10,
    e1, e2, e3, e4, e5)
end
print(locals45())
print("done lang_many_upvalues")
