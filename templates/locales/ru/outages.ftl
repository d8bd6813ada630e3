## Water outages: the notices residents get (src/jobs/outage-notice.ts), the operators' desk
## (src/bot/features/outage-desk.ts) and the accident report's offer (conversations/report-accident.ts)

# The notice. $address is the resident's, $from and $to are dd.mm.yyyy hh:mm in the branch's time.
outage-notice-planned = Плановое отключение воды по адресу { $address }: с { $from } до { $to }.
outage-notice-emergency = Аварийное отключение воды по адресу { $address }: с { $from }, ориентировочно до { $to }.
outage-notice-reason = Причина: { $reason }.
outage-notice-emergency-hint = Специалисты уже работают. Сообщать об этой аварии не нужно.
outage-notice-planned-hint = Пожалуйста, заранее наберите воду.
outage-notice-updated = Изменился срок отключения воды по адресу { $address }: воду дадут ориентировочно к { $to } (ранее сообщали — к { $before }).
outage-notice-resolved = Вода есть: подача воды по адресу { $address } восстановлена. Спасибо за терпение.
outage-notice-cancelled = Отключение воды по адресу { $address }, назначенное на { $from }, отменено. Вода будет подаваться как обычно.

# The accident report: a known outage at the resident's place or address instead of a new report.
outage-kind-planned = Плановое отключение
outage-kind-emergency = Аварийное отключение
accident-outage-row = { $kind } { $where }до { $to }. Причина: { $reason }.
accident-outage-where = по адресу { $address }{" "}
accident-outage-no-report = Заявка не нужна: мы знаем об отключении и сообщим, когда вода появится. Если у вас что-то другое, сообщите об аварии.
accident-outage-fine = Понятно
accident-outage-report-anyway = Это другое, сообщить
accident-outage-thanks = Спасибо! Когда подачу воды восстановят, бот сообщит.

# The operators' desk: /outage in the operators' group.
outage-desk-start = Новое отключение воды. Какое?
outage-desk-kind-planned = Плановое
outage-desk-kind-emergency = Аварийное
outage-desk-drop = Отмена
outage-desk-ask-branch = Какой филиал?
outage-desk-ask-streets = Улицы и дома — ответом на это сообщение, по одной улице в строке, например:
    Ермакова 7, 9, 11
    Пятигорская все
outage-desk-street-unknown = Улица «{ $street }» не найдена. Проверьте написание и пришлите список ещё раз ответом на это сообщение.
outage-desk-street-ambiguous = Под «{ $street }» подходят: { $options }. Уточните название и пришлите список ещё раз ответом на это сообщение.
outage-desk-houses-missing = В строке «{ $line }» нет домов. Укажите номера через запятую или «все» и пришлите список ещё раз ответом на это сообщение.
outage-desk-too-many-streets = Не больше { $max } улиц в одном отключении. Разделите его на несколько.
outage-desk-ask-time = С какого и до какого времени — ответом на это сообщение, например «02.12 09:00 – 02.12 18:00». Для аварии, если вода уже отключена, достаточно окончания: «до 18:00».
outage-desk-time-unclear = Не удалось разобрать время. Пример: «02.12 09:00 – 02.12 18:00» или «до 18:00». Ответьте на это сообщение ещё раз.
outage-desk-time-order = Окончание должно быть позже начала и позже текущего времени. Ответьте на это сообщение ещё раз.
outage-desk-ask-reason = Причина — ответом на это сообщение, например «ремонт водовода».
outage-desk-reason-too-long = Причина длиннее { $max } знаков. Сократите, пожалуйста, и ответьте ещё раз.
outage-desk-text-expected = Нужен текст ответом на это сообщение.
outage-desk-summary = Проверьте отключение:
    { $kind }, { $branch }
    Где: { $where }
    С { $from } до { $to }
    Причина: { $reason }
outage-desk-all-houses = все дома
outage-desk-confirm = ✅ Объявить
outage-desk-draft-dropped = Отключение не объявлено.
outage-desk-no-draft = Эти кнопки — для оператора, который начал это отключение, и только пока оно не объявлено. Новое отключение — командой /outage.
outage-desk-not-here = Эта команда работает только в группе операторов.
outage-desk-not-permitted = Этот филиал не обслуживается вашей группой.
outage-desk-failed = Не получилось. Попробуйте ещё раз.
outage-desk-anonymous = Ответьте, пожалуйста, от своего имени, а не от имени группы.

# The announcement posted in the group, with its buttons.
outage-desk-card = Отключение № { $id } ({ $status })
    { $kind }, { $branch }
    Где: { $where }
    С { $from } до { $to }
    Причина: { $reason }
outage-status-announced = объявлено
outage-status-updated = срок изменён
outage-status-resolved = вода есть
outage-status-cancelled = отменено
outage-desk-told = Уведомлений жителям: сейчас — { $now }, { $due } — { $later }.
outage-desk-told-now = Уведомлений жителям: { $now }.
outage-desk-extend = 🕑 Новое окончание
outage-desk-resolve = 💧 Вода есть
outage-desk-cancel = ✖️ Отменить
outage-desk-cancel-ask = Отменить отключение № { $id }? Жители, которым о нём уже сообщили, получат уведомление об отмене.
outage-desk-ask-end = Отключение № { $id }: новое ожидаемое окончание — ответом на это сообщение, например «18:00» или «03.12 10:00».
outage-desk-updated = Отключение № { $id }: окончание — { $to }.
outage-desk-resolved = Отключение № { $id }: вода есть.
outage-desk-cancelled = Отключение № { $id } отменено.
outage-desk-closed = Отключение № { $id } уже закрыто ({ $status }).
outage-desk-not-found = Такого отключения нет.
