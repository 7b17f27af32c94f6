-- string.format integer conversions %d %i %u %c %o %x %X with flags,
-- widths and precisions; non-integral and negative arguments
local vals = { 0, 1, -1, 42, -42, 255, 65535, 2147483647, -2147483648, 3.7, -3.7, "17", 1e9 }
local fmts = { "%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-+6d|",
               "%x", "%X", "%#x", "%08X", "%o", "%#o", "%u", "%5.2x" }
for _, f in ipairs(fmts) do
  local row = {}
  for _, v in ipairs(vals) do
    local ok, r = pcall(string.format, f, v)
    row[#row + 1] = ok and r or "ERR"
  end
  print(f, table.concat(row, ","))
end
print(string.format("%c%c%c", 76, 117, 97), string.format("%5c|%-5c|", 65, 66))
print(#string.format("%c", 0), #string.format("a%cb", 0), string.format("%c", 65.9))
print(string.format("%d %d %d", 1, 2, 3), string.format("%d%%", 50))
print(string.format("%3d|%-3d|%03d", 7, 7, 7))
print(string.format("%x %X %o", 3735928559, 3735928559, 8))
print(string.format("%d", 2^31), string.format("%d", 2^53), string.format("%d", -2^53))
print(string.format("%i", 123456789012))
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%d", {}))
print(pcall(string.format, "%x"))
print(pcall(string.format, "%c", "a"))
print("done lib_string_format_int")
