## «Счётчики» (seeds 001/002 «Информация об ИПУ», seed 000 §5)

cmd-meters = Счётчики: поверка, показания, средний расход
meters-button = 🔢 Счётчики
meters-title = Счётчики по лицевому счёту { $number }
meters-none = Счётчиков нет — начисление идёт по нормативу.
meters-name = 💧 { $service }, № { $serial }
meters-place = Место установки: { $place }
meters-model = Модель: { $model }
meters-installed = Установлен: { $date }
meters-verification = Поверка до: { $date }{ $state ->
    [expired] {" "}— ❗ срок истёк, показания не принимаются
    [due_soon] {" "}— ⚠️ осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
   *[ok] {""}
}
meters-verification-unknown = Поверка: дата не указана
meters-status = Состояние: { $status ->
    [disconnected] 🚫 отключён
   *[active] работает
}
meters-last = Последние показания: { $value } м³ от { $date } ({ $source })
meters-last-none = Показаний пока нет
meters-average = Средний расход: { $volume } м³ в месяц (за { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
   *[many] { $months } месяцев
})
meters-pass = 📟 Передать, № { $serial }
meters-history = 📈 История, № { $serial }
