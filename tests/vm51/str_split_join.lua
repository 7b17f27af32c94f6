-- splitting, joining, trimming and padding helpers built on the string library
local function split(s, sep)
  local out = {}
  local start = 1
  while true do
    local i, j = s:find(sep, start, true)
    if not i then out[#out + 1] = s:sub(start) break end
    out[#out + 1] = s:sub(start, i - 1)
    start = j + 1
  end
  return out
end
local function show(t) return #t .. ":" .. table.concat(t, "|") end
print(show(split("a,b,c", ",")))
print(show(split("a,,b,", ",")))
print(show(split("", ",")))
print(show(split("one::two::three", "::")))
print(show(split("no separator", ",")))
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
print("[" .. trim("  \t x y \n ") .. "]", "[" .. trim("") .. "]", "[" .. trim("   ") .. "]")
local function lpad(s, n, c) return string.rep(c or " ", n - #s) .. s end
local function rpad(s, n, c) return s .. string.rep(c or " ", n - #s) end
print(lpad("7", 3, "0"), rpad("ab", 5, ".") .. "|", lpad("long", 2))
local function words(s)
  local t = {}
  for w in s:gmatch("%S+") do t[#t + 1] = w end
  return t
end
print(show(words("  many   spaces\there\n")))
local function title(s) return (s:gsub("(%a)([%w_']*)", function(a, b) return a:upper() .. b:lower() end)) end
print(title("hello wORLD, it's a test_case"))
local function startswith(s, p) return s:sub(1, #p) == p end
local function endswith(s, p) return p == "" or s:sub(-#p) == p end
print(startswith("prefix.rest", "prefix"), startswith("x", "xy"), endswith("file.lua", ".lua"), endswith("a", ""))
local function count(s, p) return select(2, s:gsub(p, "")) end
print(count("banana", "a"), count("banana", "an"), count("aaa", "aa"))
print(table.concat({ 1, 2, 3 }, ", "), table.concat({ "x" }, "-"), table.concat({}, "-") == "")
print("done str_split_join")
