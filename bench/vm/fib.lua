-- fib: naive doubly recursive Fibonacci (calls, returns, small-integer arithmetic)
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print("fib", fib(33))
