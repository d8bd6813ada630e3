## Per-service detail of a month (seeds 001/002 «Детализация по услугам», 004) and the reconciliation (seed 003)

balance-services = 🧾 Детализация по услугам
balance-reconciliation = 📑 Сверка взаиморасчётов
detail-debt = долг { $amount }
detail-overpaid = переплата { $amount }
detail-title = Начисления по услугам за { $month }, ₽ (л/с { $number })
detail-service =
    { $service }
      на начало месяца: { $opening }
      начислено: { $charged }{ $recalculation ->
        [none] {""}
       *[other] , в т. ч. перерасчёт { $recalculation }{ $period ->
            [none] {""}
           *[other] {" "}за { $period }
        }
    }{ $benefits ->
        [none] {""}
       *[other] {"\u000a"}  льготы: { $benefits }
    }
      оплачено: { $paid }
      на конец месяца: { $closing }
detail-recalc-range = { $from } — { $to }
detail-total =
    Всего по лицевому счёту
      на начало месяца: { $opening }
      начислено: { $charged }{ $benefits ->
        [none] {""}
       *[other] {"\u000a"}  льготы: { $benefits }
    }
      оплачено: { $paid }
      на конец месяца: { $closing }
detail-none = Детализации по услугам пока нет: водоканал ещё не передал её за последние месяцы.

recon-pick-from = Сверка взаиморасчётов: с какого месяца?
recon-pick-to = Первый месяц: { $from } Выберите последний месяц сверки.
recon-title = Сверка взаиморасчётов за { $from } — { $to }, ₽ (л/с { $number })
recon-opening = На начало периода, { $date }: { $amount }
recon-month = { $month }: начислено { $charged }{ $recalculation ->
    [none] {""}
   *[other] {" "}(в т. ч. перерасчёт { $recalculation })
}{ $benefits ->
    [none] {""}
   *[other] , льготы { $benefits }
}, оплачено { $paid }
recon-totals = Итого: начислено { $charged }{ $recalculation ->
    [none] {""}
   *[other] {" "}(в т. ч. перерасчёт { $recalculation })
}{ $benefits ->
    [none] {""}
   *[other] , льготы { $benefits }
}, оплачено { $paid }
recon-closing = На конец периода, { $date }: { $amount }
recon-none = За эти месяцы начислений по лицевому счёту нет.
recon-too-long = Сверку можно сделать не больше чем за { $max } месяцев. Выберите, пожалуйста, период короче.
recon-reversed = Месяц «по» должен быть не раньше месяца «с». Начните, пожалуйста, заново.
recon-pdf = 📄 Получить PDF
recon-mail = ✉️ Отправить на почту
recon-pdf-making = Готовим документ…
recon-need-email = Чтобы получить сверку на почту, укажите адрес электронной почты и подтвердите его кодом из письма.
recon-caption = Сверка взаиморасчётов за { $from } — { $to }, лицевой счёт { $number }
recon-failed = Не удалось сформировать сверку. Попробуйте, пожалуйста, немного позже.
recon-mail-sent = Сверка взаиморасчётов отправлена на { $address }.
recon-issued = Сформирована { $date }
recon-col-month = Месяц
recon-col-charged = Начислено
recon-col-recalc = Перерасчёт
recon-col-benefits = Льготы
recon-col-paid = Оплачено
recon-col-total = Итого
