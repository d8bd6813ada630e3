## The operators' desk: request cards and buttons in the operators' forum group (src/jobs/request-card.ts, src/bot/features/operator-desk.ts)

# Topics of the group, one per kind of request.
desk-topic-inspector = Вызов контролёра
desk-topic-commissioning = Ввод и опломбировка счётчиков
desk-topic-accident = Аварии

desk-card-status = Статус: { $status }
desk-card-created = Подана: { $at }
desk-card-deadline = Срок: до { $at }
desk-card-deadline-settled = Срок был: до { $at }
desk-card-account = Лицевой счёт: { $number }, владелец { $owner }
desk-card-address = Адрес: { $address }
desk-card-branch = Филиал: { $branch }
desk-card-place-address = Место: { $address }
desk-card-place-point = Место: точка на карте { $latitude }, { $longitude } (выше)
desk-card-no-account = Лицевой счёт не указан
desk-card-reason = Причина: { $reason }
desk-card-visit = Желаемое время визита: { $at }
desk-card-meter = Счётчик: № { $serial }
desk-card-meters = Приборы учёта:
desk-card-meter-line = { $index }. { $type }: { $service }, № { $serial }
desk-meter-model = модель { $model }
desk-meter-place = место: { $place }
desk-meter-due = поверка до { $date }
desk-meter-reading = показания { $reading } м³
desk-meter-installer = установил: { $installer }
desk-type-commissioning = ввод в эксплуатацию
desk-type-sealing = опломбировка
desk-card-consents = Житель согласен с условиями и обеспечит доступ.
desk-card-damage = Повреждение: { $damage }
desk-card-description = Описание: { $text }
desk-card-comment = Комментарий жителя: { $text }
desk-card-phone = Телефон: { $phone }
desk-card-no-phone = Телефон не оставлен
desk-card-attachments = Фото и документы: { $count }{ $later ->
    [0] {" "}— над карточкой
   *[other] { $above ->
        [0] {" "}— в ответах на карточку
       *[other] {" "}— { $above } над карточкой, { $later } в ответах на неё
    }
}
desk-card-files-refused = { $count ->
    [one] { $count } файл не показан: он не прошёл проверку (другой тип файла или слишком большой)
    [few] { $count } файла не показаны: они не прошли проверку (другой тип файла или слишком большие)
   *[other] { $count } файлов не показаны: они не прошли проверку (другой тип файла или слишком большие)
}
desk-card-rating-good = Оценка жителя: 👍 всё хорошо
desk-card-rating-bad = Оценка жителя: 👎 не выполнено
desk-card-rating-bad-why = Оценка жителя: 👎 не выполнено — «{ $reason }»
desk-card-history = Последние события:
desk-card-event = { $at } — { $status }, { $who }
desk-card-event-resident = { $at } — { $move ->
    [answered] житель ответил
    [good] житель подтвердил выполнение
   *[bad] житель: 👎 не выполнено
} → { $status }
desk-card-event-comment = «{ $comment }»
desk-by-resident = житель
desk-by-operator = <a href="tg://user?id={ $id }">оператор</a>
desk-by-operator-unknown = оператор
desk-by-system = автоматически
desk-comment-no-answer = житель не ответил за 3 дня
desk-photos-caption = { $number }: фото и документы жителя
desk-photos-later-caption = { $number }: житель дополнил заявку

desk-refresh = 🔄 Обновить

# Answers to the operators.
desk-moved = Готово: { $status }
desk-status-changed = Статус заявки уже изменился: «{ $status }»
desk-not-permitted = Эта заявка другого филиала: в этой группе её не ведут.
desk-not-here = Эти кнопки работают только в группе операторов.
desk-move-not-allowed = Такой переход для заявки невозможен.
desk-request-not-found = Заявка не найдена.
desk-failed = Не получилось, попробуйте ещё раз.
desk-refreshing = Обновляю карточку
desk-comment-prompt = Напишите комментарий для жителя ответом на это сообщение (заявка { $number } → { $status })
desk-comment-placeholder = Комментарий для жителя
desk-comment-asked = Напишите комментарий ответом на сообщение бота
desk-comment-empty = Нужен текст комментария: ответьте на сообщение бота текстом.
desk-comment-anonymous = Пожалуйста, ответьте от своего имени, а не от имени группы: переход записывается за оператором.
desk-comment-not-yours = Этот комментарий ждут от оператора, который нажал кнопку. Чтобы написать свой, нажмите, пожалуйста, кнопку на карточке сами.
desk-comment-too-long = Комментарий длиннее { $max } знаков (сейчас { $length }). Сократите его, пожалуйста, и ответьте на сообщение бота ещё раз.
