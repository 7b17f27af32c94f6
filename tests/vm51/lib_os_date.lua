-- os.date with fixed times: UTC ("!") formats and tables, every common
-- conversion, literal text, "%%" and a trailing '%'
local times = { 0, 86399, 951782400, 1234567890, 1700000000, 2147483647 }
for _, t in ipairs(times) do
  print(t, os.date("!%Y-%m-%d %H:%M:%S", t), os.date("!%a %A %b %B %d %j %w %y %p %I", t))
end
local t = os.date("!*t", 1234567890)
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
local out = {}
for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
print(table.concat(out, " "))
print(os.date("!%c", 0))
print(os.date("!%x %X %D %T %R %e %C %g %G %u %V %h", 1234567890))
print(os.date("!100%% at %H o'clock", 3600), os.date("!no conversions", 0), os.date("!", 0) == "")
print(os.date("!trailing %", 0), os.date("!%", 0), os.date("!%%", 0))
print(os.date("!%Y", 1e9), os.date("!%Y", "0"), os.date("!%M", 59.9))
-- local time: round trips through os.time are zone-independent
local lt = os.date("*t", 1234567890)
print(type(lt.isdst), os.time(lt) == 1234567890)
print(type(os.date()), type(os.date("%c")), type(os.date("*t").year), os.date("!*t", 0).year)
print(pcall(os.date, "%Y", "x"))
print(pcall(os.date, {}))
print("done lib_os_date")
