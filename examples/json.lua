-- json.lua: a small JSON encoder/decoder for NodeMCU (Lua 5.1).
-- Objects are encoded with sorted keys, so output is deterministic.
-- Decoded `null` is json.null; json.array(t) forces t to encode as an array.
local M = {}
local floor, huge = math.floor, math.huge
local byte, char, format, sub = string.byte, string.char, string.format, string.sub
local concat, sort = table.concat, table.sort

local null = setmetatable({}, { __tostring = function() return "null" end })
local array_mt = {}
M.null = null
M.MAX_DEPTH = 32

function M.array(t) return setmetatable(t or {}, array_mt) end

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
                 ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }

local function esc(c) return escapes[c] or format("\\u%04x", byte(c)) end

local function enc_string(s) return '"' .. s:gsub('[%c"\\]', esc) .. '"' end

local function enc_number(n)
  if n ~= n or n == huge or n == -huge then error("json: cannot encode " .. tostring(n), 0) end
  if n == floor(n) then return format("%d", n) end
  return format("%.14g", n)
end

-- returns the array length if t is a sequence 1..n, else nil
local function array_len(t)
  if getmetatable(t) == array_mt then return #t end
  local n, max = 0, 0
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k ~= floor(k) then return nil end
    n = n + 1
    if k > max then max = k end
  end
  return n > 0 and n == max and n or nil
end

local encode_value

local function enc_table(t, seen, depth)
  if seen[t] then error("json: cannot encode a cycle", 0) end
  if depth > M.MAX_DEPTH then error("json: nesting too deep", 0) end
  seen[t] = true
  local out, n = {}, array_len(t)
  if n then
    for i = 1, n do out[i] = encode_value(t[i], seen, depth + 1) end
    seen[t] = nil
    return "[" .. concat(out, ",") .. "]"
  end
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= "string" and type(k) ~= "number" then error("json: bad key type", 0) end
    keys[#keys + 1] = tostring(k)
  end
  sort(keys)
  for i, k in ipairs(keys) do
    local v = t[k]
    if v == nil then v = t[tonumber(k)] end
    out[i] = enc_string(k) .. ":" .. encode_value(v, seen, depth + 1)
  end
  seen[t] = nil
  return "{" .. concat(out, ",") .. "}"
end

function encode_value(v, seen, depth)
  local tv = type(v)
  if v == nil or v == null then return "null"
  elseif tv == "boolean" then return tostring(v)
  elseif tv == "number" then return enc_number(v)
  elseif tv == "string" then return enc_string(v)
  elseif tv == "table" then return enc_table(v, seen, depth)
  end
  error("json: cannot encode " .. tv, 0)
end

function M.encode(v) return encode_value(v, {}, 0) end

-- decoder
local function derr(i, msg) error(format("json: %s at position %d", msg, i), 0) end

local function skip(s, i) return s:find("[^ \t\r\n]", i) or #s + 1 end

local function utf8(cp)
  if cp < 128 then return char(cp) end
  if cp < 2048 then return char(192 + floor(cp / 64), 128 + cp % 64) end
  return char(224 + floor(cp / 4096), 128 + floor(cp / 64) % 64, 128 + cp % 64)
end

local unesc = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b',
                f = '\f', n = '\n', r = '\r', t = '\t' }

local function dec_string(s, i)
  local buf, j = {}, i + 1
  while true do
    local a = s:find('["\\]', j)
    if not a then derr(i, "unterminated string") end
    buf[#buf + 1] = sub(s, j, a - 1)
    if sub(s, a, a) == '"' then return concat(buf), a + 1 end
    local c = sub(s, a + 1, a + 1)
    if c == "u" then
      local hex = s:match("^%x%x%x%x", a + 2)
      if not hex then derr(a, "bad unicode escape") end
      buf[#buf + 1] = utf8(tonumber(hex, 16))
      j = a + 6
    else
      if not unesc[c] then derr(a, "bad escape") end
      buf[#buf + 1] = unesc[c]
      j = a + 2
    end
  end
end

local literals = { ["true"] = true, ["false"] = false }

local decode_value

local function dec_list(s, i, depth, close, is_obj)
  local res, n = {}, 0
  i = skip(s, i + 1)
  if sub(s, i, i) == close then return (is_obj and res or M.array(res)), i + 1 end
  while true do
    local k
    if is_obj then
      if sub(s, i, i) ~= '"' then derr(i, "expected string key") end
      k, i = dec_string(s, i)
      i = skip(s, i)
      if sub(s, i, i) ~= ":" then derr(i, "expected ':'") end
      i = skip(s, i + 1)
    else
      n = n + 1
      k = n
    end
    res[k], i = decode_value(s, i, depth + 1)
    i = skip(s, i)
    local c = sub(s, i, i)
    if c == close then return (is_obj and res or M.array(res)), i + 1 end
    if c ~= "," then derr(i, "expected ',' or '" .. close .. "'") end
    i = skip(s, i + 1)
  end
end

function decode_value(s, i, depth)
  if depth > M.MAX_DEPTH then derr(i, "nesting too deep") end
  local c = sub(s, i, i)
  if c == "{" then return dec_list(s, i, depth, "}", true)
  elseif c == "[" then return dec_list(s, i, depth, "]", false)
  elseif c == '"' then return dec_string(s, i)
  end
  local num = s:match("^%-?%d+%.?%d*[eE][-+]?%d+", i) or s:match("^%-?%d+%.?%d*", i)
  if num then return tonumber(num), i + #num end
  local word = s:match("^%a+", i)
  if word == "null" then return null, i + 4 end
  if literals[word] ~= nil then return literals[word], i + #word end
  derr(i, c == "" and "unexpected end" or "unexpected '" .. c .. "'")
end

function M.decode(s)
  if type(s) ~= "string" then error("json: expected a string", 0) end
  local v, i = decode_value(s, skip(s, 1), 0)
  i = skip(s, i)
  if i <= #s then derr(i, "trailing garbage") end
  return v
end

return M
