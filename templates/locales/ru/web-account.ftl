## The web pages after signing in («Личный кабинет»): navigation, accounts, money, meters, readings

web-nav-label = Разделы личного кабинета
web-nav-overview = Общая информация
web-nav-accounts = Лицевые счета
web-nav-balance = Начисления
web-nav-payments = История оплат
web-nav-meters = Счётчики
web-nav-readings = Передать показания
web-nav-receipts = Квитанции
web-nav-requests = Заявки
web-nav-settings = Настройки
web-signout-everywhere = Выйти на всех устройствах

web-pager-label = Страницы
web-pager-newer = Новее
web-pager-older = Раньше

web-accounts-title = Лицевые счета
web-accounts-active = основной
web-accounts-owner = Владелец: { $owner }
web-accounts-make-active = Сделать основным
web-accounts-unlink = Отвязать
web-accounts-done-linked = Лицевой счёт привязан и выбран основным.
web-accounts-done-active = Основной лицевой счёт выбран. Начисления, оплаты и счётчики показываем по нему.
web-accounts-done-unlinked = Лицевой счёт отвязан.
web-accounts-unlink-title = Отвязать лицевой счёт
web-accounts-unlink-cancel = Нет, оставить
web-accounts-back = К списку лицевых счетов
web-account-not-yours = Такого лицевого счёта нет среди привязанных к вашему кабинету.
web-meter-not-yours = Такого счётчика нет у основного лицевого счёта.

web-balance-title = Начисления и оплаты
web-balance-now = Сейчас
web-balance-months = По месяцам, ₽
web-col-month = Месяц
web-col-opening = На начало
web-col-charged = Начислено
web-col-recalculation = В т. ч. перерасчёт
web-col-volume = Объём, м³
web-col-benefits = Льготы
web-col-paid = Оплачено
web-col-closing = На конец

web-payments-title = История оплат
web-payments-caption = Платежи, поступившие по лицевому счёту
web-col-received = Дата приёма
web-col-kind = Вид оплаты
web-col-processed = Дата обработки
web-col-amount = Сумма, ₽

web-meters-title = Счётчики
web-meter-name = { $service }, № { $serial }
web-meter-place = Место установки
web-meter-model = Модель
web-meter-installed = Установлен
web-meter-verification = Поверка до
web-meter-verification-date = { $date }{ $state ->
    [expired] {" "}— срок истёк, показания не принимаются
    [due_soon] {" "}— осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
   *[ok] {""}
}
web-meter-unknown = дата не указана
web-meter-status = Состояние
web-meter-status-value = { $status ->
    [disconnected] отключён
   *[active] работает
}
web-meter-last = Последние показания
web-meter-last-value = { $value } м³ от { $date } ({ $source })
web-meter-average = Средний расход
web-meter-average-value = { $volume } м³ в месяц (за { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
   *[many] { $months } месяцев
})
web-meter-history-link = История показаний
web-meters-pass = Передать показания

web-history-title = История показаний
web-history-replaced = заменены исправленными { $date }
web-history-back = К счётчикам
web-col-period = Месяц расчёта
web-col-reading = Показания, м³
web-col-used = Расход, м³
web-col-taken = Дата снятия
web-col-recorded = Дата внесения
web-col-source = Источник

web-account-readings-title = Передать показания
web-account-readings-how = Введите показания со счётчика цифрами, например 123 или 123,45, или расход с прошлых показаний со знаком «+», например +2,5. Поле можно оставить пустым — этот счётчик пропустим. Показания, уже переданные в этом месяце, новые заменят.
web-account-readings-done = Спасибо, показания переданы
web-account-readings-meters = К счётчикам
web-account-readings-again = Передать ещё раз или исправить
web-field-taken-on = Дата снятия показаний
web-field-taken-on-hint = Обычно сегодня. Не позже сегодняшнего дня и не раньше последних показаний.
web-error-taken-on = Укажите дату снятия показаний, например 20.11.2026.
