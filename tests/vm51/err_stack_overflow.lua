-- A runaway recursion ends in "stack overflow" (lua5.1 after 20000 calls;
-- the device's heap runs out long before), caught by pcall, by xpcall
-- whatever its message handler, and by coroutine.resume; the stack
-- shrinks again afterwards, so the program runs on.
function recurse() return 1 + recurse() end

print(pcall(recurse))
print(xpcall(recurse, function(m) return m end))
local ok, tb = xpcall(recurse, debug.traceback)
print(ok, (string.match(tb, "^[^\n]*")))
print(coroutine.resume(coroutine.create(recurse)))
print(pcall(recurse))

local function sum(n)
  if n == 0 then return 0 end
  return n + sum(n - 1)
end
print(sum(100))
print("done err_stack_overflow")
