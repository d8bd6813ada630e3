## Requests: the names of statuses and kinds, shared by the resident's and the operators' screens (seed 001)

request-status-sent = Отправлено
request-status-accepted = Принято
request-status-in_work = В работу
request-status-needs_info = На исправление
request-status-refused = Отказано
request-status-done = Выполнено
request-status-closed = Закрыто

request-kind-inspector = Вызов контролёра
request-kind-commissioning = Ввод счётчика или опломбировка
request-kind-accident = Авария

# The resident's buttons on a request, the same in the notices and in «Мои заявки».
request-answer = ✏️ Ответить
request-rate-good = 👍 Всё хорошо
request-rate-bad = 👎 Не выполнено

# The letter of a request's number (К-000045): stored and quoted as given, so the same in every language.
request-number-prefix-inspector = К
request-number-prefix-commissioning = П
request-number-prefix-accident = А
