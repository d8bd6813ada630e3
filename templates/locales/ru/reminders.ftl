## Reminders the bot writes first (src/jobs/notice-kinds.ts) and their settings (src/bot/features/reminders.ts)

reminder-month = { $month ->
    [1] январь
    [2] февраль
    [3] март
    [4] апрель
    [5] май
    [6] июнь
    [7] июль
    [8] август
    [9] сентябрь
    [10] октябрь
    [11] ноябрь
   *[12] декабрь
} { NUMBER($year, useGrouping: "min2") }

reminder-window-open = Начался приём показаний за { $month }.
reminder-window-closing = До конца приёма показаний за { $month } осталось два дня.
reminder-window-last = Сегодня последний день приёма показаний за { $month }.
reminder-address = Адрес: { $address }
reminder-window-missing = Ещё не переданы:
reminder-meter = • { $meter }
reminder-window-last-day = Последний день — { $date }. Показания, переданные позже, будут учтены в следующем месяце.
reminder-window-pass = 📟 Передать показания

reminder-verification-soon = Срок поверки { $count ->
    [one] счётчика
   *[other] счётчиков
} заканчивается { $date }: осталось { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
}.
reminder-verification-today = Сегодня заканчивается срок поверки { $count ->
    [one] счётчика
   *[other] счётчиков
}.
reminder-verification-expired = Срок поверки { $count ->
    [one] счётчика
   *[other] счётчиков
} истёк { $date }.
reminder-verification-billing = После этой даты показания счётчика не принимаются: первые три месяца начисление идёт по среднему расходу, затем — по нормативу (постановление Правительства РФ № 354). Чтобы снова платить по счётчику, поверьте или замените его и вызовите контролёра.
reminder-verification-inspector = 🛠 Вызвать контролёра

reminder-off = 🔕 Не напоминать
reminder-off-done = Больше не будем напоминать об этом по этому счёту. Включить снова можно в «Настройках».

settings-reminders = 🔔 Напоминания
reminders-settings-title = Напоминания по вашим лицевым счетам. Нажмите, чтобы включить или выключить.
reminders-settings-none = Напоминания приходят по привязанным лицевым счетам, а у вас пока нет ни одного.
reminders-settings-account = { $number }, { $address }
reminders-kind-reading_window = { $on ->
    [yes] ✅
   *[no] ⬜️
} Приём показаний · { $number }
reminders-kind-verification = { $on ->
    [yes] ✅
   *[no] ⬜️
} Поверка счётчиков · { $number }
