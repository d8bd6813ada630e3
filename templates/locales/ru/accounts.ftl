## Linking an account (seeds 001–003)

link-start = Как найти ваш лицевой счёт?
link-by-address = 🏠 По адресу
link-by-number = 🔢 По номеру счёта
link-ask-branch = Выберите ваш водоканал:
link-ask-street = Напишите название улицы, например: Ермакова
link-street-not-found = Не нашли такую улицу. Проверьте написание или напишите часть названия.
link-street-pick = Выберите улицу:
link-street-other = Другая улица
link-ask-house = Номер дома, например: 7, 12А или 12 к2
link-ask-flat = Номер квартиры. Если это частный дом — нажмите кнопку ниже.
link-private-house = 🏡 Частный дом, без квартиры
link-ask-surname = Фамилия владельца лицевого счёта, как в квитанции:
link-ask-pin = Этот водоканал просит ПИН-код личного кабинета — его выдают в абонентском отделе.
link-ask-number = Номер лицевого счёта: 15 цифр из квитанции или короткий номер.
link-bad-number = Номер лицевого счёта — это только цифры: 15 цифр или короткий номер. Попробуйте ещё раз.
link-ask-branch-for-short = Короткий номер действует внутри водоканала. Выберите ваш водоканал:
link-too-long = Слишком длинный ответ. Попробуйте короче.
link-not-found = Не нашли лицевой счёт с такими данными. Проверьте адрес, номер и фамилию — и попробуйте ещё раз.
link-done =
    Лицевой счёт { $number } привязан.
    Адрес: { $address }
    Владелец: { $owner }
link-already = Этот лицевой счёт уже привязан: { $number }. Сделали его основным.
link-try-again = Попробовать ещё раз

address-line = { $settlement }, { $street }, д. { $house }{ $flat ->
    [none] {""}
   *[other] , { $flatPrefix ->
        [none] кв.
       *[other] { $flatPrefix }
    } { $flat }
}

## My accounts

accounts-none = К вам пока не привязан ни один лицевой счёт.
accounts-link = ➕ Привязать лицевой счёт
accounts-list = Ваши лицевые счета:
accounts-item = { $active ->
    [yes] ✅
   *[no] ▫️
} { $number } — { $address }
accounts-make-active = Сделать основным: { $number }
accounts-unlink = Отвязать { $number }
accounts-switched = Основной лицевой счёт: { $number }.
accounts-unlink-confirm = Отвязать лицевой счёт { $number } ({ $address })? Данные счёта в водоканале не изменятся, снова привязать его можно в любой момент.
accounts-unlink-yes = Да, отвязать
accounts-unlinked = Лицевой счёт { $number } отвязан.
accounts-need-link = Сначала привяжите лицевой счёт.
