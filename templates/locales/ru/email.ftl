## E-mail in the bot: the address, its code, receipts by e-mail

settings-email = ✉️ Электронная почта
email-none = Адрес электронной почты не указан. На него можно получать квитанции в PDF: по запросу или каждый месяц.
email-current = Электронная почта: { $address }
email-pending = Ждём код подтверждения, отправленный на { $address }.
email-subscriptions = Квитанция на почту каждый месяц:
email-subscription-on = ✅ { $number }: подписка оформлена
email-subscription-off = ▫️ { $number }: без подписки
email-set = Указать адрес
email-change = Изменить адрес
email-remove = Удалить адрес
email-enter-code = Ввести код
email-subscribe = 📬 Подписаться: { $number }
email-unsubscribe = Отписаться: { $number }
email-ask-address = Напишите адрес электронной почты, например ivanova@mail.ru.
email-bad-address = Это не похоже на адрес электронной почты. Проверьте, пожалуйста, и напишите ещё раз, например ivanova@mail.ru.
email-code-sent = Мы отправили код из { $digits } цифр на { $address }. Напишите его сюда. Код действует { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
}.
    Письма нет? Загляните в папку «Спам» или отправьте код ещё раз.
email-code-wrong = Код не подходит. { $left ->
    [one] Осталась { $left } попытка.
    [few] Осталось { $left } попытки.
   *[other] Осталось { $left } попыток.
}
email-code-format = Код состоит из { $digits } цифр, он есть в письме. Напишите его, пожалуйста, ещё раз.
email-code-expired = Код больше не действует: истёк срок или было слишком много неверных попыток. Отправить новый код?
email-no-pending = Код уже не ждём. Укажите адрес, и мы пришлём новый.
email-resend = Отправить код ещё раз
email-other-address = Указать другой адрес
email-too-many = Мы уже отправили слишком много кодов. Новый можно будет получить через { $hours ->
    [one] { $hours } час
    [few] { $hours } часа
   *[many] { $hours } часов
}.
email-send-failed = Не удалось отправить письмо. Попробуйте, пожалуйста, немного позже.
email-confirmed = Адрес { $address } подтверждён. Теперь квитанции можно получать на почту.
email-remove-confirm = Удалить адрес { $address }? Квитанции на него больше не будут приходить.
email-remove-yes = Да, удалить
email-removed = Адрес электронной почты удалён.
email-removed-unsubscribed = Адрес электронной почты удалён, рассылка квитанций отключена.

receipt-send-email = ✉️ Отправить на почту
receipt-subscribe = 📬 Присылать на почту каждый месяц
receipt-unsubscribe = Отписаться от рассылки на почту
receipt-need-email = Чтобы получать квитанции на почту, укажите адрес электронной почты и подтвердите его кодом из письма.
receipt-mail-sending = Отправляем на { $address }…
receipt-mail-sent = Квитанция за { $month } отправлена на { $address }.
receipt-mail-failed = Не удалось отправить квитанцию на почту. Попробуйте, пожалуйста, немного позже.
receipt-mail-already = Эта квитанция только что отправлена на { $address }. Проверьте почту, в том числе папку «Спам».
receipt-mail-limited = За последний час отправлено слишком много писем. Попробуйте, пожалуйста, позже.
receipt-subscribed = Готово: квитанции по лицевому счёту { $number } будут приходить на { $address } каждый месяц, как только будут готовы.
receipt-already-subscribed = Квитанции по лицевому счёту { $number } уже приходят на { $address } каждый месяц.
receipt-unsubscribed = Рассылка квитанций по лицевому счёту { $number } отключена.
receipt-render-failed = Не удалось сформировать квитанцию. Попробуйте, пожалуйста, немного позже.
email-taken = Этот адрес уже указан другим абонентом. Пришлите, пожалуйста, другой адрес почты.
