## Letters (templates/mail/letter.html and letter.txt lay them out) and the web pages of the mail

mail-sender = Водоканал
mail-greeting = Здравствуйте!
mail-code-subject = Код подтверждения адреса: { $code }
mail-code-title = Подтверждение адреса электронной почты
mail-code-intro = Этот адрес указали в Telegram-боте водоканала, чтобы получать на него квитанции.
mail-code-ask = Чтобы подтвердить адрес, напишите боту этот код:
mail-code-expires = Код действует { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
}.
mail-code-ignore = Если вы не указывали этот адрес, ничего делать не нужно: без кода он не будет подключён.
mail-footer-auto = Письмо отправлено автоматически, отвечать на него не нужно.

mail-receipt-subject = Квитанция за { $month }, лицевой счёт { $number }
mail-receipt-title = Платёжный документ за { $month }
mail-receipt-intro = Во вложении — квитанция за { $month } по лицевому счёту { $number } (PDF).
mail-fact-account = Лицевой счёт
mail-fact-address = Адрес
mail-fact-advance = Переплата
mail-fact-to-pay = К оплате
mail-fact-amount = { $amount } ₽
mail-receipt-pay = Оплатить можно по QR-коду на квитанции в приложении вашего банка: реквизиты и сумма заполнятся сами.
mail-receipt-nothing-to-pay = Задолженности нет, оплачивать ничего не нужно.
mail-receipt-advance = Оплачивать ничего не нужно: переплата будет зачтена в счёт следующих начислений.
mail-footer-contacts = Вопросы по начислениям: { $phones }{ $hours ->
    [none] {""}
   *[other] , { $hours }
}.
mail-footer-reply = На это письмо можно ответить: ответ придёт в абонентский отдел.
mail-subscribed = Вы получаете это письмо, потому что подписались на ежемесячную квитанцию в Telegram-боте.
mail-unsubscribe = Отписаться от рассылки

web-unsubscribe-title = Отписка от рассылки квитанций
web-unsubscribe-ask = Больше не присылать на почту ежемесячную квитанцию по лицевому счёту { $number }?
web-unsubscribe-button = Отписаться
web-unsubscribe-done = Готово: квитанции по лицевому счёту { $number } больше не будут приходить на почту. Подписаться снова можно в Telegram-боте.
web-unsubscribe-unknown = Эта ссылка уже не действует: вы отписались раньше, или подписка была отменена в боте.
mail-recon-subject = Сверка взаиморасчётов за { $from } — { $to }, лицевой счёт { $number }
mail-recon-title = Сверка взаиморасчётов за { $from } — { $to }
mail-recon-intro = Во вложении — сверка взаиморасчётов по лицевому счёту { $number } за { $from } — { $to } (PDF).
mail-recon-closing = На конец периода
web-unsubscribe-paper-back = Бумажная квитанция снова будет приходить.

## The outbox's notices by e-mail, for a resident without Telegram (signed up on the web pages)
mail-notice-subject-request_status = Новости по вашей заявке
mail-notice-subject-outage = Отключение воды по вашему адресу
mail-notice-subject-reading_window = Пора передать показания счётчиков
mail-notice-subject-verification = Срок поверки счётчиков
mail-notice-why = Письмо пришло на адрес, который вы подтвердили на сайте водоканала: Telegram у вас не подключён.
