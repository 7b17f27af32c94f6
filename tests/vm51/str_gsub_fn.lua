-- gsub with a function: arguments are the captures; nil/false keep the match
print(("1 2 3 4"):gsub("%d", function(d) return d * d end))
print(("hello world"):gsub("%w+", function(w) return w:upper() end))
print(("a=1, b=2"):gsub("(%w)=(%d)", function(k, v) return v .. "=" .. k end))
print(("keep this"):gsub("%w+", function() return nil end))
print(("keep this"):gsub("%w+", function() return false end))
print(("abc"):gsub("()", function(p) return p end))
print(("abc"):gsub("%w", function(c) return c:byte() .. "," end))
local seen = {}
print(("x1y2"):gsub("(%a)(%d)", function(a, b) seen[#seen + 1] = a .. b end))
print(table.concat(seen, ";"))
print(pcall(string.gsub, "abc", "%w", function() return {} end))
print(pcall(string.gsub, "abc", "%w", function(c) error("fn failed on " .. c, 0) end))
-- expand ${var} with nested lookups
local env = { user = "root", home = "/root", greeting = "hi ${user}" }
local function expand(s)
  return (s:gsub("%${(%w+)}", function(k) return expand(env[k] or "?") end))
end
print(expand("${greeting}, home is ${home}, missing ${nope}"))
-- a function with a counter limit
local n = 0
print(("aaaaa"):gsub("a", function() n = n + 1 return n end, 3))
-- url-encode style
local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end
print(enc("a b&c=d/é"))
local function dec(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end
print(dec(enc("round trip: 100%!")))
print("done str_gsub_fn")
