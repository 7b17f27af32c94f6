-- escape sequences in short strings
local s = "a\tb\nc\\d\"e'f\a\b\f\v\r"
print(#s, s:byte(1, -1))
print("\65\066\0671", #"\0", #"\00", #"\000", #"\0000")
print("\x41" == "x41", #"\x41")
print("\255\254" == string.char(255, 254))
print('single \'quoted\' "mixed"')
print("double \"quoted\" 'mixed'")
print("line one\
line two")
print("\z" == "z")
print(#"\
", ("\
"):byte())
local t = { "\97\98\99", "\9", "\10x", "\1000" }
for i = 1, #t do print(i, #t[i], t[i]:byte(1, -1)) end
print("done str_escapes")
