-- string.dump: C functions cannot be dumped; argument checks
print(pcall(string.dump, print))
print(pcall(string.dump, string.format))
print(pcall(string.dump))
print(pcall(string.dump, 1))
print(pcall(string.dump, "f"))
print(pcall(string.dump, {}))
print("done lib_string_dump")
