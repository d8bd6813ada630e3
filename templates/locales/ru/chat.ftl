# «💬 Написать оператору»: the resident's side (features/operator-chat.ts) and the topic in the operators' group (jobs/chat-relay.ts).
menu-chat-end = ✖️ Завершить разговор

chat-weekday = { $day ->
    [1] пн
    [2] вт
    [3] ср
    [4] чт
    [5] пт
    [6] сб
   *[7] вс
}
chat-opened =
    Напишите ваш вопрос — я передам его оператору. Можно прислать фото, документ, голосовое сообщение или место на карте.
    Чтобы закончить, нажмите «✖️ Завершить разговор».
chat-opened-in-hours =
    { $branch }: операторы отвечают { $days } с { $from }:00 до { $to }:00.
    Напишите ваш вопрос — я передам его оператору. Можно прислать фото, документ, голосовое сообщение или место на карте.
    Чтобы закончить, нажмите «✖️ Завершить разговор».
chat-opened-off-hours =
    { $branch }: операторы отвечают { $days } с { $from }:00 до { $to }:00. Сейчас нерабочее время: ответ придёт в рабочие часы. Если вопрос срочный, позвоните{ $phones ->
        [none] {""} в аварийно-диспетчерскую службу.
       *[other] : { $phones }.
    }
    Напишите ваш вопрос — я передам его оператору. Чтобы закончить, нажмите «✖️ Завершить разговор».
chat-banned = Написать оператору в боте сейчас нельзя. Позвоните, пожалуйста, в абонентский отдел{ $phones ->
    [none] .
   *[other] : { $phones }.
}
chat-banned-answer = Сообщения оператору в боте сейчас не принимаются. Позвоните, пожалуйста, в абонентский отдел.
chat-no-operators = Написать оператору в боте пока нельзя. Позвоните, пожалуйста, в абонентский отдел{ $phones ->
    [none] .
   *[other] : { $phones }.
}
chat-not-open = Разговора с оператором сейчас нет. Чтобы написать оператору, нажмите «💬 Написать оператору».
chat-ended = Разговор с оператором завершён. Если появится вопрос, нажмите «💬 Написать оператору».
chat-queue-long = Сейчас операторам пишут многие — ваше сообщение получено и дойдёт до них по очереди. Ответим, как только сможем.
chat-call-instead = Сейчас передать сообщение оператору не получается. Позвоните, пожалуйста, в абонентский отдел{ $phones ->
    [none] .
   *[other] : { $phones }.
}
chat-rate-ask = Спасибо, что написали. Оцените, пожалуйста, разговор с оператором:
chat-closed-by-operator = Оператор завершил разговор. Оцените, пожалуйста, как вам помогли:
chat-reopened = Оператор снова на связи — можно продолжать разговор.
chat-rate-good = 👍 Помогли
chat-rate-bad = 👎 Не помогли
chat-rate-thanks = Спасибо за оценку!
chat-rate-already = Оценка уже учтена, спасибо.
chat-signature = — { $name }, оператор

# In the operators' topic (HTML).
chat-topic-title = Л/с { $number } · { $branch }
chat-topic-title-unlinked = { $name } · без лицевого счёта · …{ $id }
chat-topic-title-unknown = Обращение жителя
chat-card-head = 👤 <b>{ $name }</b>, язык: { $language }
chat-card-linked = Лицевой счёт привязан
chat-card-not-linked = Согласие дано, лицевой счёт не привязан
chat-card-no-consent = Без согласия на обработку данных: лицевой счёт не привязан, данные не хранятся
chat-card-blocked = ⛔ Житель заблокировал бота: ответы до него не дойдут
chat-card-banned = 🚫 Сообщения жителя не принимаются (/unban — снова принимать)
chat-card-closed = Разговор завершён (/reopen — открыть снова)
chat-card-account = Лицевой счёт <b>{ $number }</b> (короткий { $short }), владелец { $owner }
chat-card-address = Адрес: { $address }
chat-card-branch = Филиал: { $branch }
chat-card-debt = Задолженность: { $amount } руб.
chat-card-overpaid = Переплата: { $amount } руб.
chat-card-settled = Задолженности нет
chat-card-readings = Последние показания:
chat-card-reading = • { $service }, № { $serial }: { $value } м³ от { $date }
chat-card-no-readings = Показаний пока нет
chat-card-requests = Открытые заявки:
chat-card-request = • { $number } · { $kind } — { $status }
chat-card-no-requests = Открытых заявок нет
chat-card-recreated = ⚠️ Прежняя тема этого жителя была удалена — создана новая. Сообщения до удаления остались в удалённой теме.
chat-card-commands = Ответ в этой теме уходит жителю. Не отправляются: команды /close, /reopen, /ban, /unban, /requests и заметки, начинающиеся с «!» или «#note».
chat-card-refresh = 🔄 Обновить
chat-card-requests-button = 📋 Заявки жителя
chat-card-refreshed = Карточка обновлена
chat-note-resident-closed = Житель завершил разговор.
chat-note-resident-reopened = Житель снова написал оператору.
chat-note-rated-good = Житель оценил разговор: 👍 помогли.
chat-note-rated-bad = Житель оценил разговор: 👎 не помогли.
chat-note-blocked = ⛔ Житель заблокировал бота: ответы до него не дойдут.
chat-note-closed = Разговор завершил <a href="tg://user?id={ $operator }">оператор</a>; жителя попросили оценить разговор.
chat-note-reopened = Разговор снова открыл <a href="tg://user?id={ $operator }">оператор</a>; житель об этом узнал.
chat-note-banned = <a href="tg://user?id={ $operator }">Оператор</a> запретил жителю писать: его сообщения сюда больше не приходят.
chat-note-unbanned = <a href="tg://user?id={ $operator }">Оператор</a> снова разрешил жителю писать.
chat-note-unknown = Событие разговора.
chat-group-no-rights = Не могу создать тему для разговора с жителем: у бота нет права «Управление темами» (или в группе не включены темы). Сообщения жителей не доставляются — выдайте боту это право в настройках группы. Жителям предложено позвонить.
chat-op-commands = Это жителю не отправлено. Команды темы: /close — завершить разговор, /reopen — открыть снова, /ban — не принимать сообщения жителя, /unban — снова принимать, /requests — заявки жителя. Заметку для коллег начните с «!» или «#note».
chat-op-closed = Разговор завершён, сообщение жителю не отправлено. Чтобы продолжить, наберите /reopen.
chat-op-already-close = Разговор уже завершён.
chat-op-already-reopen = Разговор и так открыт.
chat-op-already-ban = Сообщения жителя уже не принимаются.
chat-op-already-unban = Сообщения жителя и так принимаются.
