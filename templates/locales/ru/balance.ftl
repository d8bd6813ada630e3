## Balance (seed 000 §10), statements (§8), payments (seed 001)

balance-header = Лицевой счёт { $number }
    { $address }
balance-debt = Задолженность: { $amount } ₽
balance-overpaid = Переплата: { $amount } ₽
balance-zero = Задолженности нет.
balance-to-pay = К оплате: { $amount } ₽
balance-as-of = По данным на конец { $month ->
    [1] января
    [2] февраля
    [3] марта
    [4] апреля
    [5] мая
    [6] июня
    [7] июля
    [8] августа
    [9] сентября
    [10] октября
    [11] ноября
   *[12] декабря
} { NUMBER($year, useGrouping: "min2") } г. с учётом последующих начислений и оплат.
balance-verification = Ближайшая дата поверки счётчика: { $date }
balance-verification-expired = ⚠️ Срок поверки счётчика истёк { $date }. Показания такого счётчика не принимаются к расчёту: начисление идёт по среднему, а через 3 месяца — по нормативу. Вызовите контролёра или обратитесь в абонентский отдел.
balance-verification-soon = ⚠️ Срок поверки счётчика истекает { $date } — { $days ->
    [0] сегодня
    [one] через { $days } день
    [few] через { $days } дня
   *[many] через { $days } дней
}. Позаботьтесь о поверке заранее.
balance-no-meters = Счётчики по лицевому счёту не учитываются, начисление — по нормативу.
balance-statements = 📊 Начисления по месяцам
balance-payments = 💳 История платежей

month-name = { $month ->
    [1] Январь
    [2] Февраль
    [3] Март
    [4] Апрель
    [5] Май
    [6] Июнь
    [7] Июль
    [8] Август
    [9] Сентябрь
    [10] Октябрь
    [11] Ноябрь
   *[12] Декабрь
} { NUMBER($year, useGrouping: "min2") }

statements-title = Начисления и оплаты, ₽ (л/с { $number })
statements-row =
    { $month }
      на начало: { $opening } · начислено: { $charged } ({ $volume } м³){ $recalculation ->
        [none] {""}
       *[other] {" "}· в т. ч. перерасчёт: { $recalculation }
    }
      льготы: { $benefits } · оплачено: { $paid } · на конец: { $closing }
# An amount in the month table that is an overpayment (a negative balance).
statements-overpaid = переплата { $amount }
statements-none = Начислений пока нет.
statements-older = ← Раньше
statements-newer = Новее →

payments-title = Платежи по лицевому счёту { $number }
payments-row = { $received } — { $amount } ₽, { $kind }{ $processed ->
    [none] {""}
   *[other] {" "}(обработан { $processed })
}
payments-none = Платежей пока нет.
payments-older = ← Ранее

## Without linking (seed 000 §10)

public-ask-number = Введите 15-значный номер лицевого счёта из квитанции. Если знаете только короткий номер — сначала выберите водоканал.
public-short-number = У меня короткий номер
public-resolved = Ваш 15-значный номер лицевого счёта: { $number }
public-not-found = Не нашли лицевой счёт с таким номером. Проверьте цифры в квитанции.
public-limited = Слишком много запросов за последний час. Попробуйте позже — через час лимит обновится.
public-result = По лицевому счёту { $number }:
