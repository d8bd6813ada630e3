## The signed-in web pages: receipts, settings, requests, the sign-in through Telegram

web-more-not-found-title = Страница недоступна
web-more-not-found = Этой страницы нет в вашем кабинете. Возможно, лицевой счёт отвязан или ссылка устарела.
web-more-no-accounts = К кабинету пока не привязан ни один лицевой счёт.
web-more-field-account = Лицевой счёт
web-more-show = Показать
web-more-back-account = В личный кабинет
web-more-nav = Разделы кабинета

web-receipts-title = Квитанции
web-receipts-months = Квитанции по лицевому счёту { $number }
web-receipts-pdf = { $month } — скачать PDF
web-receipts-pages = Другие месяцы
web-receipts-older = ← Раньше
web-receipts-newer = Новее →
web-receipts-email-title = Квитанция на электронную почту
web-receipts-email-on = Каждый месяц квитанция приходит на { $address }.
web-receipts-email-off = Можно получать квитанцию каждый месяц на { $address }.
web-receipts-email-none = Чтобы получать квитанцию на почту, укажите и подтвердите адрес в настройках.
web-receipts-subscribe = Получать квитанцию на почту
web-receipts-unsubscribe = Не присылать квитанцию на почту
web-receipts-subscribed = Готово: квитанция будет приходить на { $address } каждый месяц.
web-receipts-unsubscribed = Квитанция больше не будет приходить на почту.
web-receipts-unsubscribed-paper-back = Квитанция больше не будет приходить на почту. Бумажная квитанция снова будет приходить по почте.
web-receipts-need-email = Сначала укажите и подтвердите адрес электронной почты в настройках.
