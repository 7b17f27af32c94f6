-- quantifiers * + - ? on single characters, classes and sets; greedy
-- versus lazy; backtracking
local function show(...)
  local t = { ... }
  for i = 1, select("#", ...) do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end
show(string.match("aaab", "a*"), string.match("aaab", "a+"), string.match("aaab", "a-"), string.match("aaab", "a?"))
show(string.match("baaa", "a*"), string.match("baaa", "a+"), string.match("baaa", "ba-"), string.match("baaa", "ba?"))
show(string.match("<a><b>", "<.*>"), string.match("<a><b>", "<.->"), string.match("<a><b>", "<.+>"))
show(string.match("aaa", "a-b"), string.match("aaab", "a-b"), string.match("aaab", "^a-$"), string.match("aaa", "^a-$"))
show(string.match("abc", "a?b?c?d?"), string.match("ac", "ab?c"), string.match("abbc", "ab?c"))
show(string.match("xyz", "x*y*z*"), string.match("", "a*"), string.match("", "a+"), string.match("", "a-"))
show(string.match("12345abc", "%d+"), string.match("12345abc", "%d-a"), string.match("12345abc", "%d*%a+"))
show(string.match("aaaa", "a*a"), string.match("aaaa", "a-a"), string.match("aaaa", "a*aaaaa"), string.match("aaaa", "a+a+"))
show(string.match("abcabc", "[abc]*c"), string.match("abcabc", "[abc]-c"), string.match("abcabc", "[^c]*"))
show(string.match("  trim me  ", "^%s*(.-)%s*$"), string.match("xx", "^(x?)(x?)(x?)$"))
show(string.match("key=val;k2=v2", "(%w+)=(%w+)"), string.match("aXbXc", "(.-)X(.*)"))
show(string.match("*+?", "%*%+%?"), string.match("a-b", "a%-b"), string.match("a--", "a%--"))
show(string.match("hello", ".-l"), string.match("hello", ".*l"), string.match("hello", ".?l"))
show(string.match(string.rep("a", 50) .. "b", "a*a*a*a*b"), string.match(string.rep("ab", 30), "(ab)*"))
show(string.match(string.rep("x", 200), "x-$") == string.rep("x", 200), #string.match(string.rep("x", 200), "x*"))
show(string.gsub("abc", "x*", "-"))
show(string.gsub("abc", "b*", "-"))
show(string.gsub("aaa", "a-", "-"))
show(string.gsub("one  two", " ?", "_"))
print("done lib_string_match_quant")
