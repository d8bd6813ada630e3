## What the bot writes first to a resident about their requests (src/jobs/notice.ts)

# The first line: the request, its kind (in lower case) and what the status means.
notice-status-sent = Заявка { $number } ({ $kind }) отправлена.
notice-status-accepted = Заявка { $number } ({ $kind }) принята. Мы её рассмотрим и сообщим о следующем шаге.
notice-status-in_work = Заявка { $number } ({ $kind }) взята в работу: специалисты уже ею занимаются.
notice-status-needs_info = Заявка { $number } ({ $kind }) возвращена на исправление: нужно уточнение.
notice-status-refused = По заявке { $number } ({ $kind }) отказано.
notice-status-done = Заявка { $number } ({ $kind }) выполнена.
notice-status-closed = Заявка { $number } ({ $kind }) закрыта.
notice-comment = Комментарий: { $comment }
notice-reason = Причина: { $comment }
notice-asked = Что уточнить: { $comment }
notice-no-answer = Мы не получили ответа в течение 3 дней, поэтому в заявке отказано. Если помощь ещё нужна, подайте, пожалуйста, новую.
notice-needs-info = Пожалуйста, дополните заявку: нажмите «Ответить» и напишите, что нужно.
notice-done = Всё ли сделано? Оцените, пожалуйста, работу.
notice-no-answer-follower = Заявитель не ответил на уточняющий вопрос, и заявку закрыли. Если авария не устранена, сообщите о ней снова.
