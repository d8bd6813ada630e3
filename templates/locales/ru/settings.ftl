settings-title = Настройки
settings-language = 🌐 Язык: Русский
settings-withdraw = Отозвать согласие на обработку данных
settings-withdraw-confirm = Отозвать согласие? Мы удалим привязку лицевых счетов и настройки бота. Данные лицевых счетов в водоканале не изменятся.
settings-withdraw-yes = Да, отозвать и удалить
settings-withdrawn = Согласие отозвано, ваши данные в боте удалены. Справка о задолженности по номеру счёта по-прежнему доступна.
language-pick = Выберите язык / Choose the language:
language-set = Язык: русский.
# Each language is named in itself, whatever the current locale.
language-name-ru = Русский
language-name-en = English
