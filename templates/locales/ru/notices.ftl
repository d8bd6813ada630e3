## What the bot writes first to a resident about their requests (src/jobs/notice.ts)

notice-request-status = Заявка { $number }: статус «{ $status }»
notice-comment = Комментарий: { $comment }
notice-no-answer = Мы не получили ответа в течение 3 дней, поэтому в заявке отказано. Если помощь ещё нужна, подайте, пожалуйста, новую.
notice-needs-info = Пожалуйста, дополните заявку: нажмите «Ответить» и напишите, что нужно.
notice-done = Всё ли сделано? Оцените, пожалуйста, работу.
notice-answer = ✏️ Ответить
notice-rate-good = 👍 Всё хорошо
notice-rate-bad = 👎 Не выполнено
