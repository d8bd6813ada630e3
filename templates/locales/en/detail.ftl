## Per-service detail of a month (seeds 001/002 «Детализация по услугам», 004) and the reconciliation (seed 003)

balance-services = 🧾 Detail by service
balance-reconciliation = 📑 Statement of account
detail-debt = owed { $amount }
detail-overpaid = overpaid { $amount }
detail-title = Charges by service for { $month }, ₽ (account { $number })
detail-service =
    { $service }
      at the start of the month: { $opening }
      charged: { $charged }{ $recalculation ->
        [none] {""}
       *[other] , incl. recalculation { $recalculation }{ $period ->
            [none] {""}
           *[other] {" "}for { $period }
        }
    }{ $benefits ->
        [none] {""}
       *[other] {"\u000a"}  benefits: { $benefits }
    }
      paid: { $paid }
      at the end of the month: { $closing }
detail-recalc-range = { $from } — { $to }
detail-total =
    Whole account
      at the start of the month: { $opening }
      charged: { $charged }{ $benefits ->
        [none] {""}
       *[other] {"\u000a"}  benefits: { $benefits }
    }
      paid: { $paid }
      at the end of the month: { $closing }
detail-none = No detail by service yet: the utility has not sent it for recent months.

recon-pick-from = Statement of account: from which month?
recon-pick-to = First month: { $from } Choose the last month.
recon-title = Statement of account for { $from } — { $to }, ₽ (account { $number })
recon-opening = At the start, { $date }: { $amount }
recon-month = { $month }: charged { $charged }{ $recalculation ->
    [none] {""}
   *[other] {" "}(incl. recalculation { $recalculation })
}{ $benefits ->
    [none] {""}
   *[other] , benefits { $benefits }
}, paid { $paid }
recon-totals = Total: charged { $charged }{ $recalculation ->
    [none] {""}
   *[other] {" "}(incl. recalculation { $recalculation })
}{ $benefits ->
    [none] {""}
   *[other] , benefits { $benefits }
}, paid { $paid }
recon-closing = At the end, { $date }: { $amount }
recon-none = No charges on the account in these months.
recon-too-long = A statement covers at most { $max } months. Please choose a shorter period.
recon-reversed = The «to» month cannot be before the «from» month. Please start again.
recon-pdf = 📄 Get a PDF
recon-mail = ✉️ Send by e-mail
recon-pdf-making = Preparing the document…
recon-need-email = To get the statement by e-mail, add your e-mail address and confirm it with the code from the letter.
recon-caption = Statement of account for { $from } — { $to }, account { $number }
recon-failed = The statement could not be made. Please try again a little later.
recon-mail-sent = The statement of account has been sent to { $address }.
recon-issued = Made on { $date }
recon-col-month = Month
recon-col-charged = Charged
recon-col-recalc = Recalculation
recon-col-benefits = Benefits
recon-col-paid = Paid
recon-col-total = Total
