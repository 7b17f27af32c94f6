-- string.format float conversions %e %E %f %g %G: flags, widths,
-- precisions, special values
local vals = { 0, 1, -1, 0.5, 3.14159265358979, -2.5e-5, 1e10, 123456789.125, 1e-300, 1e300, 1/3 }
local fmts = { "%f", "%.2f", "%10.3f", "%-10.1f|", "%+.1f", "% .0f", "%#.0f", "%010.2f",
               "%e", "%.3e", "%E", "%12.2E", "%g", "%.3g", "%G", "%#g", "%-12g|", "%.10g", "%.14g" }
for _, f in ipairs(fmts) do
  local row = {}
  for _, v in ipairs(vals) do row[#row + 1] = string.format(f, v) end
  print(f, table.concat(row, ","))
end
print(string.format("%f %e %g", 1/0, -1/0, 1/0))
print(string.format("%.1f", 0.05), string.format("%.0f", 0.5), string.format("%.0f", 1.5))
print(string.format("%5.1f|%-8.3e|%G", 2.25, 1234.5, 1e-20))
print(string.format("%f", "1.5"), string.format("%g", "0x10"), string.format("%.3f", 2))
print(#string.format("%99.99f", 1), #string.format("%99.99f", -1e300))
print(string.format("%.20f", 0.1))
print(pcall(string.format, "%f", "x"))
print(pcall(string.format, "%g"))
print(pcall(string.format, "%e", nil))
print("done lib_string_format_float")
