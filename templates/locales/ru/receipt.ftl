## The receipt (платёжный документ, ПП 354 п. 69, форма Минстроя 43/пр)

receipt-title = Платёжный документ за { $month }
receipt-heading = Платёжный документ за { $month } от { $date }
receipt-account = Лицевой счёт: { $number } (короткий { $short })
receipt-payer = Плательщик: { $name }
receipt-address = Адрес: { $address }
receipt-residents = Проживает: { $residents } чел.{ $area ->
    [none] {""}
   *[other] {"  "}Площадь: { $area } м²
}
receipt-payee = Получатель платежа: { $name }
receipt-payee-ids = ИНН { $inn } / КПП { $kpp }
receipt-bank = Банк: { $bank }, БИК { $bic }
receipt-bank-accounts = Р/с { $account }, к/с { $corr }
receipt-payee-contacts = { $address }. Тел. { $phones }. { $hours }. { $email }
receipt-col-service = Услуга
receipt-col-volume = Объём, м³
receipt-col-tariff = Тариф, ₽/м³
receipt-col-charged = Начислено, ₽
receipt-col-recalc = Перерасчёт, ₽
receipt-total-charged = Итого начислено
receipt-opening-debt = Долг на начало периода: { $amount } ₽
receipt-opening-advance = Переплата на начало периода: { $amount } ₽
receipt-benefits = Льготы: { $amount } ₽
receipt-paid = Оплачено в периоде: { $amount } ₽
receipt-last-payment = Последняя оплата: { $date }, { $amount } ₽
receipt-last-payment-later = Последняя оплата: { $date }, { $amount } ₽ (учитывается в расчёте за { $month })
receipt-no-payments = Оплат по лицевому счёту пока не было
receipt-closing-advance = Переплата на конец периода: { $amount } ₽
receipt-to-pay = Итого к оплате: { $amount } ₽
receipt-advance-carried = Переплата будет зачтена в счёт следующих начислений.
receipt-readings = Показания приборов учёта
receipt-reading-row = { $service }, № { $serial }: предыдущие { $previous }, текущие { $current }
receipt-no-reading = нет
receipt-norms = Нормативы потребления
receipt-norm-row = { $service }: { $volume } м³ на человека в месяц — { $description }
receipt-qr = Оплата по QR-коду в приложении банка
receipt-purpose = Оплата за водоснабжение и водоотведение за { $month }, л/с { $number }
# The utility's own notice on its receipt (seed 000 §9: «прошу прийти в течение 10 дней в абонентский отдел … и предоставить подтверждающие документы»).
receipt-check = Пожалуйста, проверьте число проживающих, площадь, норматив и показания счётчиков. Если что-то указано неверно, в течение 10 дней обратитесь в абонентский отдел с подтверждающими документами{ $phones ->
    [none] .
   *[other] , тел. { $phones }.
}
receipt-month = { $month ->
    [1] январь
    [2] февраль
    [3] март
    [4] апрель
    [5] май
    [6] июнь
    [7] июль
    [8] август
    [9] сентябрь
    [10] октябрь
    [11] ноябрь
   *[12] декабрь
} { NUMBER($year, useGrouping: "min2") } г.
receipt-pick = Квитанция по лицевому счёту { $number }: выберите месяц.
receipt-older = ← Раньше
receipt-newer = Новее →
receipt-none = Квитанций пока нет: начислений по лицевому счёту ещё не было.
receipt-caption = Квитанция за { $month }, лицевой счёт { $number }
