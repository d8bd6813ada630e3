## Passing meter readings (seed 000 §6, seed 003)

readings-header = Передача показаний по лицевому счёту { $number }
readings-window-open = Показания принимаются до { $closes } включительно и будут учтены в расчёте за этот месяц.
readings-window-later = Показания принимаются с { $opens } по { $closes }. Переданные сейчас сохраним и учтём с { $opens }.
readings-no-meters = По лицевому счёту нет действующих счётчиков — начисление идёт по нормативу.
readings-meter = { $service }, № { $serial }{ $place ->
    [none] {""}
   *[other] , { $place }
}
readings-ask = { $meter }
    Последние показания: { $last }
    Введите текущие показания — только цифры, например: { $example }
    Или расход с прошлых показаний со знаком «+», например: +{ $volume }
    Можно приложить фото счётчика.
readings-ask-first = { $meter }
    Введите текущие показания — только цифры, например: { $example }
    Можно приложить фото счётчика.
readings-last = { $value } м³ от { $date }
readings-skip = Пропустить этот счётчик
readings-expired = { $meter }: срок поверки истёк { $date }. Показания такого счётчика не принимаются к расчёту — начисление идёт по среднему, а через 3 месяца по нормативу. Чтобы снова передавать показания, нужна поверка или замена счётчика: вызовите контролёра или обратитесь в абонентский отдел.
readings-bad-empty = Пришлите показания цифрами.
readings-bad-not_a_number = Показания — это только цифры, например 123 или 123,45. Попробуйте ещё раз.
readings-bad-negative = Показания не могут быть отрицательными.
readings-bad-too_many_decimals = У этого счётчика { $decimals ->
    [0] нет знаков после запятой
    [one] { $decimals } знак после запятой
    [few] { $decimals } знака после запятой
   *[many] { $decimals } знаков после запятой
}. Введите показания ещё раз.
readings-bad-too_many_digits = На этом счётчике не больше { $digits ->
    [one] { $digits } цифры
   *[other] { $digits } цифр
} до запятой. Проверьте показания.
readings-below = Показания { $value } м³ меньше предыдущих ({ $previous } м³) — так быть не может. Проверьте цифры. Если счётчик заменили, новые показания вносит контролёр: вызовите его или обратитесь в абонентский отдел.
readings-unusual = Вы уверены? Расход { $volume } м³ заметно больше обычного (не более { $limit } м³ в месяц). Если показания верны — проверьте, нет ли утечки: не подтекают ли краны и бачок унитаза.
readings-unusual-yes = Да, показания верные
readings-unusual-fix = Ввести заново
readings-summary = Проверьте показания:
readings-summary-row = { $meter }: { $value } м³{ $volume ->
    [none] {""}
   *[other] {" "}(расход { $volume } м³)
}
readings-summary-partial = Показания переданы не по всем счётчикам. Передать только эти?
readings-confirm = ✅ Подтвердить
readings-edit = ✏️ Ввести заново
readings-nothing = Показания не переданы ни по одному счётчику.
readings-stored = Показания приняты и сразу учтены в расчёте.
readings-stored-later = Показания сохранены и будут учтены с { $opens }.
readings-corrected = Прежние показания этого месяца заменены, история сохранена.
readings-charge = Начислено по текущим тарифам за { $month }: вода { $water } ₽, водоотведение { $sewage } ₽, итого { $total } ₽.
readings-refused-below = { $meter }: показания меньше предыдущих ({ $previous } м³), не приняты.
readings-refused-expired = { $meter }: срок поверки истёк, показания не приняты.
readings-inspector-offer = Если счётчик нужно проверить, вызовите контролёра: причина и счётчик уже будут указаны в заявке.
service-cold_water = Холодная вода (ХВС)
service-hot_water = Горячая вода (ГВС)
service-sewerage = Водоотведение
readings-already = В этом месяце уже переданы показания { $value } м³ — новые заменят их.

## History (seed 000 §7)

history-button = 📈 История показаний
history-pick = Выберите счётчик:
history-no-meters = По лицевому счёту нет счётчиков, поэтому и показаний нет: начисление идёт по нормативу.
history-title = История показаний: { $meter }
# Seed 000 §7: the month it counts for, then when it was taken, when it reached the billing and how.
history-row =
    { $period }: { $value } м³{ $volume ->
        [none] {""}
       *[other] {" "}(+{ $volume })
    }{ $replaced ->
        [yes] {" "}— заменены исправленными
       *[no] {""}
    }
      снято { $date } · внесено { $recorded } · { $source }
history-none = Показаний пока нет.
history-older = ← Ранее
source-initial = первоначальные
source-receipt = из квитанции
source-portal = личный кабинет
source-telegram = Telegram
source-control = контрольные
source-operator = оператор
readings-unlinked-intro = Показания можно передать и без привязки лицевого счёта: укажите номер счёта, дом и квартиру из квитанции.
readings-ask-number = Номер лицевого счёта — 15 цифр из квитанции:
readings-bad-number = Нужно 15 цифр номера лицевого счёта, как в квитанции. Попробуйте ещё раз.
readings-not-found = Не нашли лицевой счёт с таким номером, домом и квартирой. Проверьте данные по квитанции и начните заново.
readings-photo-kept = Фото счётчика сохраним вместе с показаниями. Теперь введите показания цифрами.
readings-photo-too-big = Фото слишком большое (больше 20 МБ). Пришлите фото поменьше или просто введите показания.
readings-photo-failed = Не получилось сохранить фото. Введите показания цифрами — фото не обязательно.
readings-pick = Передать показания всех счётчиков по очереди или одного?
readings-all = Все счётчики по очереди

## The day the values were taken (seeds 001/002)

readings-change-date = 📅 Показания сняты в другой день
readings-summary-date = Дата снятия показаний: { $date }
readings-ask-date = Когда сняты показания? Напишите дату в виде ДД.ММ.ГГГГ, например { $today }.
readings-date-today = Сегодня
readings-bad-date = Не получилось прочитать дату. Напишите её так: 20.11.2026.
readings-date-future = Дата снятия не может быть позже сегодняшнего дня ({ $today }).
readings-date-before-last = Дата снятия не может быть раньше последних показаний ({ $last }).
readings-volume-no-last = Прежних показаний этого счётчика нет, поэтому расход прибавить не к чему. Введите сами показания со счётчика.
