-- string/number coercions in arithmetic and concatenation
print("10" + 1, "3" * "4", "2" ^ "10", "7" / 2, "7" % "3", -"5")
print("0x10" + 0, " 5 " + 0, "1e2" + 0, "-.5" + 0)
print(10 .. "", 1.5 .. "", -0.25 .. "|", 1e20 .. "", 2 ^ 53 .. "")
print(1 .. 2, 1 .. "" .. 2)
print(type("10" + 0), type(10 .. ""))
print("10" == 10, "10" + 0 == 10, tostring(10) == "10")
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return {} .. "" end))
print(pcall(function() return "1" < 2 end))
print(pcall(function() return 1 < "2" end))
print("10" < "9", 10 < 9, "a" < "b", "" < "a")
print(#("" .. 123), ("5"):rep(3) + 1)
local t = {}
t["1"] = "string key"
t[1] = "number key"
print(t["1"], t[1])
print(math.floor("3.7"), math.max("10", 9), string.rep(5, 2))
print(pcall(math.floor, "x"))
for i = "1", "3" do acc = (acc or "") .. i end
print(acc)
print("done str_coerce")
