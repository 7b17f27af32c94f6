-- word frequencies over a text, sorted by count then word
local text = [[
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness, it was
the spring of hope, it was the winter of despair.]]
local freq = {}
local total = 0
for w in text:lower():gmatch("%a+") do
  freq[w] = (freq[w] or 0) + 1
  total = total + 1
end
local words = {}
for w in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
print("total", total, "distinct", #words)
for i = 1, 8 do print(words[i], freq[words[i]]) end
local letters = {}
for c in text:lower():gmatch("%a") do letters[c] = (letters[c] or 0) + 1 end
local ls = {}
for c, n in pairs(letters) do ls[#ls + 1] = c .. n end
table.sort(ls)
print(table.concat(ls, " "))
local longest = ""
for _, w in ipairs(words) do if #w > #longest or (#w == #longest and w < longest) then longest = w end end
print("longest", longest)
print("done algo_wordfreq")
