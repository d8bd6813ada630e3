## The receipt (платёжный документ, ПП 354 п. 69, форма Минстроя 43/пр)

receipt-title = Payment document for { $month }
receipt-heading = Payment document for { $month } of { $date }
receipt-account = Personal account: { $number } (short { $short })
receipt-payer = Payer: { $name }
receipt-address = Address: { $address }
receipt-residents = Residents: { $residents }{ $area ->
    [none] {""}
   *[other] {"  "}Area: { $area } m²
}
receipt-payee = Payee: { $name }
receipt-payee-ids = INN { $inn } / KPP { $kpp }
receipt-bank = Bank: { $bank }, BIC { $bic }
receipt-bank-accounts = Account { $account }, correspondent account { $corr }
receipt-payee-contacts = { $address }. Phone { $phones }. { $hours }. { $email }
receipt-col-service = Service
receipt-col-volume = Volume, m³
receipt-col-tariff = Tariff, ₽/m³
receipt-col-charged = Charged, ₽
receipt-col-recalc = Recalculation, ₽
receipt-total-charged = Total charged
receipt-opening-debt = Debt at the start of the period: { $amount } ₽
receipt-opening-advance = Overpayment at the start of the period: { $amount } ₽
receipt-benefits = Benefits: { $amount } ₽
receipt-paid = Paid in the period: { $amount } ₽
receipt-last-payment = Last payment: { $date }, { $amount } ₽
receipt-last-payment-later = Last payment: { $date }, { $amount } ₽ (counted in { $month })
receipt-no-payments = No payments to this account yet
receipt-closing-advance = Overpayment at the end of the period: { $amount } ₽
receipt-to-pay = Total to pay: { $amount } ₽
receipt-advance-carried = The overpayment will be set against the next charges.
receipt-readings = Meter readings
receipt-reading-row = { $service }, No. { $serial }: previous { $previous }, current { $current }
receipt-no-reading = none
receipt-norms = Consumption norms
receipt-norm-row = { $service }: { $volume } m³ per person a month — { $description }
receipt-qr = Pay by scanning the QR code in your banking app
receipt-purpose = Payment for water supply and sewerage for { $month }, account { $number }
receipt-check = Please check the number of residents, the area, the norm and the meter readings. If anything is wrong, contact the customer office within 10 days with supporting documents{ $phones ->
    [none] .
   *[other] , phone { $phones }.
}
receipt-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { NUMBER($year, useGrouping: "min2") }
receipt-pick = Bill for personal account { $number }: choose the month.
receipt-older = ← Earlier
receipt-newer = Later →
receipt-none = There are no bills yet: nothing has been charged to this account.
receipt-caption = Bill for { $month }, personal account { $number }
