## The web pages («Личный кабинет» on the site): layout, home, lookups without signing in

web-site-name = Водоканал — личный кабинет
web-skip-to-content = Перейти к содержанию
web-language-nav = Язык
web-language-switch = English
web-footer = Те же услуги есть в Telegram-боте водоканала. Вопросы — в абонентский отдел вашего филиала.
web-home-link = На главную

web-home-title = Личный кабинет абонента
web-home-intro = Здесь можно узнать долг по лицевому счёту и номер счёта, не входя в кабинет.
web-home-public = Без входа в кабинет
web-home-bot = Всё это и многое другое — в Telegram-боте { $bot }.

web-errors-title = Проверьте, пожалуйста, введённые данные
web-error-prefix = Ошибка:

web-debt-title = Долг по номеру лицевого счёта
web-debt-about = Задолженность или переплата и ближайшая дата поверки счётчика.
web-debt-submit = Узнать долг
web-debt-again = Проверить другой счёт
web-debt-short-link = Знаю только короткий номер счёта
web-field-long-number = Номер лицевого счёта
web-field-long-number-hint = 15 цифр, как в квитанции.
web-error-long-number = Введите 15 цифр номера лицевого счёта — как в квитанции.
web-error-not-found = Не нашли лицевой счёт с таким номером. Проверьте цифры в квитанции.

web-number-title = 15-значный номер по короткому
web-number-about = Короткий номер из старой квитанции и ваш водоканал дают полный номер счёта.
web-number-submit = Найти номер
web-field-branch = Водоканал
web-field-branch-choose = Выберите водоканал
web-field-short-number = Короткий номер лицевого счёта
web-field-short-number-hint = Только цифры.
web-error-branch = Выберите водоканал из списка.
web-error-short-number = Введите короткий номер лицевого счёта цифрами.
web-error-short-not-found = Не нашли лицевой счёт с таким номером в этом водоканале. Проверьте номер и водоканал.

web-readings-title = Передать показания без входа
web-readings-about = По номеру лицевого счёта, дому и квартире из квитанции.
web-readings-intro = Показания можно передать без входа в кабинет: укажите номер лицевого счёта, дом и квартиру из квитанции.
web-readings-find = Продолжить
web-readings-how = Введите показания со счётчика цифрами, например 123 или 123,45. Поле можно оставить пустым — этот счётчик пропустим.
web-readings-last = Последние показания: { $value } м³ от { $date }.
web-readings-no-last = Прежних показаний нет.
web-readings-submit = Передать показания
web-readings-other = Передать показания по другому счёту
web-field-house = Дом
web-field-house-hint = Например: 7, 12А или 12 к2.
web-field-flat = Квартира
web-field-flat-hint = В многоквартирном доме обязательно. Для частного дома оставьте пустым.
web-error-house = Укажите номер дома, как в квитанции.
web-error-readings-none = Введите показания хотя бы одного счётчика.
web-error-reading-refused-below = Показания меньше предыдущих и не приняты. Проверьте цифры.
web-error-reading-refused-expired = Срок поверки счётчика истёк, показания не приняты.

web-charges-title = Начисления за прошлый месяц (PDF)
web-charges-about = Расшифровка начислений по лицевому счёту — по номеру, адресу и фамилии владельца.
web-charges-intro = Укажите данные из квитанции и фамилию владельца лицевого счёта — скачаем расшифровку начислений за последний месяц в PDF.
web-charges-submit = Скачать PDF
web-field-surname = Фамилия владельца счёта
web-field-surname-hint = Как в квитанции.
web-field-pin = ПИН-код
web-field-pin-hint = Если водоканал выдал вам ПИН-код для личного кабинета.
web-error-surname = Укажите фамилию владельца лицевого счёта.
web-error-owner-not-found = Не нашли лицевой счёт по этим данным. Проверьте номер, дом, квартиру и фамилию по квитанции.
web-error-pin-required = Для этого лицевого счёта нужен ПИН-код, выданный водоканалом. Если ПИН-код введён — проверьте его.
web-error-no-charges = По этому лицевому счёту ещё нет начислений.

web-error-title = Не получилось
web-error-stale-form = Страница устарела. Откройте её заново и повторите — введённые данные нужно будет указать ещё раз.
web-error-too-many = Слишком много запросов подряд. Подождите немного и попробуйте снова.
web-error-too-large = Файл слишком большой.
web-error-bad-request = Запрос не удалось прочитать. Откройте страницу заново.
web-error-generic = Извините, что-то пошло не так. Попробуйте ещё раз через минуту.
web-not-found-title = Страница не найдена
web-not-found = Такой страницы нет. Начните с главной.
