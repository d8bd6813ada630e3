# What matching of typed addresses and surnames folds or ignores (src/billing/normalize.ts).
# Nobody reads these: they are the Russian words residents type, whatever language the bot speaks
# to them, so there is no other locale. Patterns are JavaScript regular expressions.

## Letters

# Folded before any comparison: the first becomes the second.
fold-yo = ё
fold-ye = е
# What a surname keeps (after folding): anything else is dropped.
surname-letters = [^a-zа-я-]

## Streets

# Street-type words and abbreviations, dropped: «ул. Ермакова» = «Ермакова». Separated by spaces.
street-types = ул улица пр пр-т прт проспект пер переулок пл площадь б-р бр бульвар ш шоссе пр-д прд проезд туп тупик наб набережная мкр микрорайон кв-л квартал тер снт аллея

# Endings of an ordinal numeral, after folding: «-ый», «-ая», «-ого»…
-adj = (?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ей)
-teen-end = (?:ь|и|ью|{ -adj })
# «8-го», «1-я», «50-ти», «2ой»: a number with its ending (one letter only after a hyphen: «1а» is a letter, not an ending).
-long-endings = го|ого|его|му|ому|ему|ый|ий|ой|ая|яя|ое|ее|ые|ие|ым|им|ом|ем|ую|юю|ых|их|ти|ми|ью
number-with-ending = ^(\d+)(?:-(?:й|я|е|ю|х|м|{ -long-endings })|{ -long-endings })$

# The numerals 1–19 and the tens, cardinal or ordinal, in every case: «Восьмого Марта» = «8 Марта».
numeral-1 = ^(?:один|одн(?:а|о|ого|ой|ому|им|ом|у)|перв{ -adj })$
numeral-2 = ^(?:два|две|двух|двум|двумя|втор{ -adj })$
numeral-3 = ^(?:три|трех|трем|тремя|трет(?:ий|ья|ье|ьего|ьей|ьему|ьим|ьем|ьи|ьих|ью))$
numeral-4 = ^(?:четыре|четырех|четырем|четырьмя|четверт{ -adj })$
numeral-5 = ^(?:пять|пяти|пятью|пят{ -adj })$
numeral-6 = ^(?:шесть|шести|шестью|шест{ -adj })$
numeral-7 = ^(?:семь|семи|семью|седьм{ -adj })$
numeral-8 = ^(?:восемь|восьми|восемью|восьмью|восьм{ -adj })$
numeral-9 = ^(?:девять|девяти|девятью|девят{ -adj })$
numeral-10 = ^десят{ -teen-end }$
numeral-11 = ^одиннадцат{ -teen-end }$
numeral-12 = ^двенадцат{ -teen-end }$
numeral-13 = ^тринадцат{ -teen-end }$
numeral-14 = ^четырнадцат{ -teen-end }$
numeral-15 = ^пятнадцат{ -teen-end }$
numeral-16 = ^шестнадцат{ -teen-end }$
numeral-17 = ^семнадцат{ -teen-end }$
numeral-18 = ^восемнадцат{ -teen-end }$
numeral-19 = ^девятнадцат{ -teen-end }$
numeral-20 = ^двадцат{ -teen-end }$
numeral-30 = ^тридцат{ -teen-end }$
numeral-40 = ^(?:сорок|сорока|сороков{ -adj })$
numeral-50 = ^(?:пятьдесят|пятидесяти|пятьюдесятью|пятидесят{ -adj })$
numeral-60 = ^(?:шестьдесят|шестидесяти|шестьюдесятью|шестидесят{ -adj })$
numeral-70 = ^(?:семьдесят|семидесяти|семьюдесятью|семидесят{ -adj })$
numeral-80 = ^(?:восемьдесят|восьмидесяти|восемьюдесятью|восьмидесят{ -adj })$
numeral-90 = ^(?:девяносто|девяноста|девяност{ -adj })$

## Houses and flats

# «д. 7-А» = «7а»
house-word = ^(?:дом|д\.?)\s*
# «12 корп. 2» = «12к2», «5 стр. 1» = «5с1»: the word, and the letter it becomes.
house-block = корпус|корп\.?
house-block-letter = к
house-building = строение|стр\.?
house-building-letter = с
# «кв. 30» = «30»
flat-word = ^(?:кв\.?|квартира)\s*
