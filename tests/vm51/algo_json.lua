-- a small JSON-like serializer with sorted keys and a parser for the same format
local function serialize(v, indent)
  indent = indent or ""
  local t = type(v)
  if t == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    local isarray = #keys == #v
    if isarray then
      local parts = {}
      for i = 1, #v do parts[i] = serialize(v[i], indent) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = string.format("%q", tostring(k)) .. ":" .. serialize(v[k], indent)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c)
      local map = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }
      return map[c] or string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif t == "number" or t == "boolean" then
    return tostring(v)
  elseif t == "nil" then
    return "null"
  end
  error("cannot serialize a " .. t)
end
local doc = {
  name = "sensor", id = 17, active = true, ratio = 0.25,
  tags = { "a", "b", "c" }, nested = { deep = { deeper = "yes" }, list = { 1, 2, { x = 1 } } },
  text = 'quote " backslash \\ newline \n tab \t bell \a',
}
local s = serialize(doc)
print(s)
-- a parser for what serialize writes
local function parse(str)
  local pos = 1
  local function ws() pos = str:find("[^ \t\r\n]", pos) or #str + 1 end
  local value
  local function strval()
    pos = pos + 1
    local out = {}
    while true do
      local c = str:sub(pos, pos)
      if c == '"' then pos = pos + 1 break end
      if c == "\\" then
        local e = str:sub(pos + 1, pos + 1)
        if e == "u" then
          out[#out + 1] = string.char(tonumber(str:sub(pos + 2, pos + 5), 16))
          pos = pos + 6
        else
          out[#out + 1] = ({ n = "\n", t = "\t" })[e] or e
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
    return table.concat(out)
  end
  function value()
    ws()
    local c = str:sub(pos, pos)
    if c == "{" then
      pos = pos + 1
      local t = {}
      ws()
      if str:sub(pos, pos) == "}" then pos = pos + 1 return t end
      repeat
        ws()
        local k = strval()
        ws()
        pos = pos + 1
        t[k] = value()
        ws()
        local sep = str:sub(pos, pos)
        pos = pos + 1
      until sep == "}"
      return t
    elseif c == "[" then
      pos = pos + 1
      local t = {}
      ws()
      if str:sub(pos, pos) == "]" then pos = pos + 1 return t end
      repeat
        t[#t + 1] = value()
        ws()
        local sep = str:sub(pos, pos)
        pos = pos + 1
      until sep == "]"
      return t
    elseif c == '"' then
      return strval()
    else
      local lit = str:match("^[%w%.%-+]+", pos)
      pos = pos + #lit
      if lit == "true" then return true elseif lit == "false" then return false
      elseif lit == "null" then return nil end
      return tonumber(lit)
    end
  end
  return value()
end
local back = parse(s)
print(serialize(back) == s, back.text == doc.text, back.nested.list[3].x)
print(serialize({}), serialize({ {} }), serialize({ 1, "two", false }))
print(pcall(serialize, { f = print }))
print("done algo_json")
