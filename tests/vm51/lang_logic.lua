-- and/or return operands, short-circuit, truthiness of 0 and ""
print(nil and 1, false and 1, 0 and 1, "" and 1, 1 and nil)
print(nil or 1, false or false, 0 or 1, nil or nil, false or nil)
print(not nil, not false, not 0, not "", not {}, not not 1)
local calls = {}
local function f(name, v) calls[#calls + 1] = name return v end
local r = f("a", false) and f("b", true) or f("c", "C")
print(r, table.concat(calls))
calls = {}
r = f("a", 1) or f("b", 2)
print(r, table.concat(calls))
calls = {}
r = f("a", nil) or f("b", false) or f("c", 0)
print(r, table.concat(calls))
-- the ternary idiom fails for false values
local cond = true
print(cond and false or "fallback")
-- defaults
local function greet(name) name = name or "world" return "hello " .. name end
print(greet(), greet("lua"))
-- comparisons yield booleans
print(1 < 2, 1 > 2, 1 == 1.0, "1" == 1, nil == false)
-- if/elseif chains
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
print(classify(-5), classify(0), classify(5), classify(50))
-- nested conditions with and/or in conditions
local hits = 0
for i = 1, 30 do
  if (i % 3 == 0 and i % 5 ~= 0) or (i % 5 == 0 and not (i % 3 == 0)) then hits = hits + 1 end
end
print(hits)
-- and/or with multiple returns truncate to one value
local function two() return 1, 2 end
print((two()) and two())
print(two() or "x")
print("done lang_logic")
