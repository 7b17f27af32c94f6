-- calendar arithmetic: day of week, leap years, day numbers, a month grid
local function isleap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end
local mdays = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function dim(y, m) if m == 2 and isleap(y) then return 29 end return mdays[m] end
local function dow(y, m, d)
  local t = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 }
  if m < 3 then y = y - 1 end
  return (y + math.floor(y / 4) - math.floor(y / 100) + math.floor(y / 400) + t[m] + d) % 7
end
local names = { [0] = "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" }
print(names[dow(2000, 1, 1)], names[dow(1970, 1, 1)], names[dow(2024, 2, 29)], names[dow(1900, 3, 1)])
local leaps = {}
for y = 1896, 1912 do if isleap(y) then leaps[#leaps + 1] = y end end
print(table.concat(leaps, " "), isleap(2000), isleap(2100))
local function daynum(y, m, d)
  local n = d
  for i = 1, m - 1 do n = n + dim(y, i) end
  return n
end
print(daynum(2023, 12, 31), daynum(2024, 12, 31), daynum(2024, 3, 1))
local function month(y, m)
  print(string.format("   %04d-%02d", y, m))
  print("Su Mo Tu We Th Fr Sa")
  local line = string.rep("   ", dow(y, m, 1))
  for d = 1, dim(y, m) do
    line = line .. string.format("%2d", d)
    if dow(y, m, d) == 6 then print(line) line = "" else line = line .. " " end
  end
  if #line > 0 then print((line:gsub("%s+$", ""))) end
end
month(2024, 2)
print("done algo_calendar")
