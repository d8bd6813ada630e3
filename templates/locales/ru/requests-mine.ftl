## «Мои заявки»: the resident's requests, the answer to «На исправление», the rating

menu-requests = 📋 Мои заявки
cmd-requests = Мои заявки и их статусы

my-requests-none = Заявок пока нет. Здесь появятся вызовы контролёра, заявки на ввод счётчика и сообщения об авариях.
my-requests-title = Мои заявки ({ $total })
my-requests-title-page = Мои заявки: { $from }–{ $to } из { $total }
my-requests-title-one = Мои заявки: { $from } из { $total }
my-requests-item = { $number } · { $kind } · { $date }
my-requests-item-status = { $status }{ $deadline ->
    [none] {""}
   *[other] , срок до { $deadline }
}
my-requests-item-comment = Комментарий: { $comment }
my-requests-open = { $number } — { $status }
my-requests-newer = ← Новее
my-requests-older = Раньше →

my-request-title = Заявка { $number } — { $kind }
my-request-created = Создана: { $at }
my-request-status = Статус: { $status }{ $deadline ->
    [none] {""}
   *[other] , срок до { $deadline }
}
my-request-damage = Повреждение: { $damage }
my-request-reason = Причина: { $reason }
my-request-meters = Счётчиков в заявке: { $count }
my-request-place = Место: { $place }
my-request-comment = Комментарий: { $comment }
my-request-description = Описание: { $comment }
my-request-history = История:
my-request-history-earlier = …и ещё { $count } раньше
my-request-event = { $at } — { $status }{ $by ->
    [resident] {" "}(вы)
   *[other] {""}
}{ $comment ->
    [none] {""}
   *[other] : { $comment }
}
my-request-back = ← К списку заявок

answer-ask =
    Заявка { $number }: нужно уточнение.{ $comment ->
        [none] {""}
       *[other] {" "}Что уточнить: { $comment }
    }
    Напишите ответ, при необходимости приложите фото и нажмите «Отправить».
answer-send = ✅ Отправить
answer-text-first = Сначала напишите ответ текстом.
answer-expected = Пришлите ответ текстом или фото.
answer-received = Ответ записан{ $photos ->
    [0] {""}
   *[other] , фото: { $photos }
}. Можно дополнить или нажать «Отправить».
answer-photo-received = Фото добавлено ({ $photos }). Напишите ответ текстом и нажмите «Отправить».
answer-sent = Спасибо, ответ передан. Заявка { $number } снова в статусе «{ $status }».
answer-not-needed = Ответ уже не нужен: заявка { $number } в статусе «{ $status }».
answer-too-long = Ответ длиннее { $max } знаков — сократите его, пожалуйста.
answer-too-long-more = С этой частью ответ будет длиннее { $max } знаков: осталось { $left }. Сократите её или нажмите «Отправить» — уйдёт то, что уже записано.
answer-file-too-big = Файл больше 20 МБ — бот не сможет его сохранить. Пришлите снимок поменьше.
answer-late = Пока вы писали, заявка уже сменила статус — ответ не нужен. Её состояние — в «📋 Мои заявки».

rate-already = Оценка уже учтена.
rate-reason-ask = Что не так? Напишите коротко или нажмите «Пропустить».
rate-reason-skip = Пропустить
rate-reason-expected = Напишите, пожалуйста, текстом или нажмите «Пропустить».
rate-reason-too-long = Слишком длинно: не больше { $max } знаков (сейчас { $length }). Напишите, пожалуйста, короче.
rate-reason-waiting = Ждём вашего ответа: что не так?
rate-good = Спасибо за оценку! Заявка { $number } закрыта.
rate-bad = Жаль, что не получилось. Заявка { $number } возвращена в работу — специалисты разберутся.
my-request-no-answer = ответа не было 3 дня
