-- a tokenizer, shunting-yard to RPN, and an RPN evaluator
local prec = { ["+"] = 1, ["-"] = 1, ["*"] = 2, ["/"] = 2, ["%"] = 2, ["^"] = 3 }
local right = { ["^"] = true }
local function tokens(s)
  local out = {}
  local i = 1
  while i <= #s do
    local c = s:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif c:match("[%d%.]") then
      local num = s:match("^%d*%.?%d+", i)
      out[#out + 1] = tonumber(num)
      i = i + #num
    else out[#out + 1] = c i = i + 1 end
  end
  return out
end
local function torpn(toks)
  local out, ops = {}, {}
  for _, t in ipairs(toks) do
    if type(t) == "number" then out[#out + 1] = t
    elseif t == "(" then ops[#ops + 1] = t
    elseif t == ")" then
      while ops[#ops] ~= "(" do out[#out + 1] = table.remove(ops) end
      table.remove(ops)
    else
      while #ops > 0 and ops[#ops] ~= "(" and
        (prec[ops[#ops]] > prec[t] or (prec[ops[#ops]] == prec[t] and not right[t])) do
        out[#out + 1] = table.remove(ops)
      end
      ops[#ops + 1] = t
    end
  end
  while #ops > 0 do out[#out + 1] = table.remove(ops) end
  return out
end
local function eval(rpn)
  local st = {}
  for _, t in ipairs(rpn) do
    if type(t) == "number" then st[#st + 1] = t
    else
      local b, a = table.remove(st), table.remove(st)
      if t == "+" then st[#st + 1] = a + b elseif t == "-" then st[#st + 1] = a - b
      elseif t == "*" then st[#st + 1] = a * b elseif t == "/" then st[#st + 1] = a / b
      elseif t == "%" then st[#st + 1] = a % b else st[#st + 1] = a ^ b end
    end
  end
  return st[1]
end
for _, e in ipairs({ "1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "10 / 4 - 1", "7 % 4 + .5",
  "((15 / (7 - (1 + 1))) * 3) - (2 + (1 + 1))", "3 - 2 - 1", "2 * (3 + 4) ^ 2 / 7" }) do
  local rpn = torpn(tokens(e))
  local strs = {}
  for i, t in ipairs(rpn) do strs[i] = tostring(t) end
  local direct = loadstring("return " .. e)()
  print(e, "=>", table.concat(strs, " "), "=", eval(rpn), eval(rpn) == direct)
end
print("done algo_rpn")
