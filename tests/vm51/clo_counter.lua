-- closures: counters with private state, independent instances
local function counter(start, step)
  local n = start or 0
  step = step or 1
  return function() n = n + step return n end,
         function() return n end,
         function(v) n = v end
end
local inc1, get1, set1 = counter()
local inc2, get2 = counter(100, -10)
print(inc1(), inc1(), inc1(), get1())
print(inc2(), inc2(), get2())
set1(50)
print(inc1(), get1(), get2())
-- a bank account object built from closures
local function account(balance)
  local history = {}
  local self = {}
  function self.deposit(v) balance = balance + v history[#history + 1] = "+" .. v end
  function self.withdraw(v)
    if v > balance then history[#history + 1] = "refused " .. v return false end
    balance = balance - v
    history[#history + 1] = "-" .. v
    return true
  end
  function self.balance() return balance end
  function self.history() return table.concat(history, " ") end
  return self
end
local acc = account(10)
acc.deposit(5)
acc.withdraw(100)
acc.withdraw(7)
print(acc.balance(), acc.history())
-- generators of generators
local function adder(x) return function(y) return function(z) return x + y + z end end end
print(adder(1)(2)(3), adder("1")(2)(3.5))
local add5 = adder(2)(3)
print(add5(10), add5(20))
print("done clo_counter")
