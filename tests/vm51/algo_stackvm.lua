-- a tiny stack-machine interpreter running a program that computes primes and factorials
local function run(code)
  local stack, pc, out, steps = {}, 1, {}, 0
  local labels = {}
  for i, ins in ipairs(code) do if ins[1] == "label" then labels[ins[2]] = i end end
  local vars = {}
  while pc <= #code do
    local ins = code[pc]
    local op = ins[1]
    steps = steps + 1
    pc = pc + 1
    if op == "push" then stack[#stack + 1] = ins[2]
    elseif op == "load" then stack[#stack + 1] = vars[ins[2]]
    elseif op == "store" then vars[ins[2]] = table.remove(stack)
    elseif op == "add" or op == "sub" or op == "mul" or op == "mod" or op == "lt" or op == "eq" then
      local b, a = table.remove(stack), table.remove(stack)
      local r
      if op == "add" then r = a + b elseif op == "sub" then r = a - b elseif op == "mul" then r = a * b
      elseif op == "mod" then r = a % b elseif op == "lt" then r = a < b and 1 or 0 else r = a == b and 1 or 0 end
      stack[#stack + 1] = r
    elseif op == "jz" then if table.remove(stack) == 0 then pc = labels[ins[2]] end
    elseif op == "jmp" then pc = labels[ins[2]]
    elseif op == "print" then out[#out + 1] = tostring(table.remove(stack))
    elseif op == "label" then
    else error("bad op " .. op) end
  end
  return table.concat(out, " "), steps
end
-- factorials 1..10
local fact = {
  { "push", 1 }, { "store", "i" }, { "push", 1 }, { "store", "f" },
  { "label", "loop" },
  { "load", "i" }, { "push", 11 }, { "lt" }, { "jz", "end" },
  { "load", "f" }, { "load", "i" }, { "mul" }, { "store", "f" },
  { "load", "f" }, { "print" },
  { "load", "i" }, { "push", 1 }, { "add" }, { "store", "i" },
  { "jmp", "loop" },
  { "label", "end" },
}
print(run(fact))
-- primes below 60 by trial division
local primes = {
  { "push", 2 }, { "store", "n" },
  { "label", "outer" },
  { "load", "n" }, { "push", 60 }, { "lt" }, { "jz", "done" },
  { "push", 2 }, { "store", "d" },
  { "label", "inner" },
  { "load", "d" }, { "load", "d" }, { "mul" }, { "load", "n" }, { "push", 1 }, { "add" }, { "lt" }, { "jz", "isprime" },
  { "load", "n" }, { "load", "d" }, { "mod" }, { "push", 0 }, { "eq" }, { "jz", "next_d" },
  { "jmp", "next_n" },
  { "label", "next_d" },
  { "load", "d" }, { "push", 1 }, { "add" }, { "store", "d" }, { "jmp", "inner" },
  { "label", "isprime" },
  { "load", "n" }, { "print" },
  { "label", "next_n" },
  { "load", "n" }, { "push", 1 }, { "add" }, { "store", "n" }, { "jmp", "outer" },
  { "label", "done" },
}
print(run(primes))
print(pcall(run, { { "nop" } }))
print("done algo_stackvm")
