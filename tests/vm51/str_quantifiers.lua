-- quantifiers: *, +, - (lazy), ? on single chars, classes and sets
local s = "<a><bb><ccc>"
print(s:match("<.*>"), s:match("<.->"), s:match("<(%a+)>"))
print(("aaab"):match("a*"), ("aaab"):match("a+b"), ("b"):match("a*b"), ("b"):match("a+b"))
print(("aaab"):match("a-b"), ("aaab"):match("a-"), ("aaab"):match("^a-$"))
print(("color"):match("colou?r"), ("colour"):match("colou?r"), ("colouur"):match("colou?r"))
print(("12ab"):match("%d?%d?%a"), ("x"):match("x?x?x"))
print(("[[nested]]"):match("%[+(.-)%]+"))
print(("   lead"):match("^ *(.*)"), ("trail   "):match("(.-) *$") .. "|")
print(("a.b.c.d"):match("(.*)%.(.*)"), ("a.b.c.d"):match("(.-)%.(.*)"))
print(("x=1&y=2&z=3"):match("y=([^&]*)"))
print(("aXbXc"):gsub("X?", "-"))
print(("  "):match("%s*"), ("  "):match("%s+"), ("ab"):match("%s*"))
print(("ooo"):gsub("o-", "!"))
-- backtracking across several quantifiers
print(("aaabbbccc"):match("(a*)(b*)(c*)"))
print(("abcabcabc"):match("(.-)c(.*)c"))
print(("1234567890"):match("(%d-)(%d%d%d)$"))
print("done str_quantifiers")
