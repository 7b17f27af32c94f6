-- os functions with deterministic results: difftime, date round trips, formats
print(os.difftime(100, 40), os.difftime(5, 5), os.difftime(0, 86400))
for _, t in ipairs({ 0, 86399, 951782400, 1234567890, 2000000000 }) do
  local tt = os.date("*t", t)
  print(t, os.time(tt) == t, os.date("!%Y-%m-%dT%H:%M:%SZ", t))
end
print(os.date("!%c", 0))
print(os.date("!%x %X", 1234567890))
print(os.date("!%y %I %M %S %p", 1234567890 + 43200))
print(os.date("!%a %A %b %B %d %j %U %W %w", 1700000000))
local tt = os.date("!*t", 951782400)
print(tt.year, tt.month, tt.day, tt.yday, tt.wday, tt.isdst)
-- leap years via os.time differences
local function days_in_feb(y)
  return (os.time({ year = y, month = 3, day = 1, hour = 12 }) - os.time({ year = y, month = 2, day = 1, hour = 12 })) / 86400
end
print(days_in_feb(1999), days_in_feb(2000), days_in_feb(2004), days_in_feb(2100))
print(type(os.clock()), os.clock() >= 0, type(os.time()))
print("done os_misc")
