## Requests: the names of statuses and kinds, shared by the resident's side and the operators' desk

request-status-sent = Отправлено
request-status-accepted = Принято
request-status-in_work = В работу
request-status-needs_info = На исправление
request-status-refused = Отказано
request-status-done = Выполнено
request-status-closed = Закрыто

request-kind-inspector = Вызов контролёра
request-kind-commissioning = Ввод прибора учёта в эксплуатацию
request-kind-accident = Сообщение об аварии
