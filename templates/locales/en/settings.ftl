settings-title = Settings
settings-language = 🌐 Language: English
settings-withdraw = Withdraw consent to data processing
settings-withdraw-confirm = Withdraw your consent? We will delete your linked personal accounts and bot settings. Your personal account details at the water utility will not change.
settings-withdraw-yes = Yes, withdraw and delete
settings-withdrawn = Your consent has been withdrawn and your data has been deleted from the bot. You can still check the amount owed by account number.
language-pick = Choose the language / Выберите язык:
language-set = Language: English.
# Each language is named in itself, whatever the current locale.
language-name-ru = Русский
language-name-en = English
