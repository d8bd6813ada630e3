## The web pages after signing in (the personal account): navigation, accounts, money, meters, readings

web-nav-label = Sections of the personal account
web-nav-overview = Overview
web-nav-accounts = Accounts
web-nav-balance = Charges
web-nav-payments = Payments
web-nav-meters = Meters
web-nav-readings = Pass readings
web-nav-receipts = Receipts
web-nav-requests = Requests
web-nav-settings = Settings
web-signout-everywhere = Sign out on all devices

web-pager-label = Pages
web-pager-newer = Newer
web-pager-older = Older

web-accounts-title = Accounts
web-accounts-active = main
web-accounts-owner = Owner: { $owner }
web-accounts-make-active = Make it the main one
web-accounts-unlink = Unlink
web-accounts-done-linked = The account is linked and made the main one.
web-accounts-done-active = The main account is chosen. Charges, payments and meters are shown for it.
web-accounts-done-unlinked = The account is unlinked.
web-accounts-unlink-title = Unlink an account
web-accounts-unlink-cancel = No, keep it
web-accounts-back = Back to the accounts
web-account-not-yours = There is no such account among those linked to your personal account.
web-meter-not-yours = The main account has no such meter.

web-balance-title = Charges and payments
web-balance-now = Now
web-balance-months = By month, ₽
web-col-month = Month
web-col-opening = Opening
web-col-charged = Charged
web-col-recalculation = Incl. recalculation
web-col-volume = Volume, m³
web-col-benefits = Benefits
web-col-paid = Paid
web-col-closing = Closing

web-payments-title = Payments
web-payments-caption = Payments received for the account
web-col-received = Received
web-col-kind = Kind of payment
web-col-processed = Processed
web-col-amount = Amount, ₽

web-meters-title = Meters
web-meter-name = { $service }, No. { $serial }
web-meter-place = Place
web-meter-model = Model
web-meter-installed = Installed
web-meter-verification = Verified until
web-meter-verification-date = { $date }{ $state ->
    [expired] {" "}— expired, readings are not accepted
    [due_soon] {" "}— { $days ->
        [one] { $days } day
       *[other] { $days } days
    } left
   *[ok] {""}
}
web-meter-unknown = no date on file
web-meter-status = Status
web-meter-status-value = { $status ->
    [disconnected] disconnected
   *[active] working
}
web-meter-last = Last reading
web-meter-last-value = { $value } m³ on { $date } ({ $source })
web-meter-average = Average use
web-meter-average-value = { $volume } m³ a month (over { $months ->
    [one] { $months } month
   *[other] { $months } months
})
web-meter-history-link = Readings history
web-meters-pass = Pass readings

web-history-title = Readings history
web-history-replaced = replaced by a correction on { $date }
web-history-back = Back to the meters
web-col-period = Billing month
web-col-reading = Reading, m³
web-col-used = Used, m³
web-col-taken = Taken on
web-col-recorded = Recorded on
web-col-source = Source

web-account-readings-title = Pass readings
web-account-readings-how = Type each meter's reading in digits, for example 123 or 123.45, or the use since the last reading with a «+», for example +2.5. Leave a field empty to skip that meter. Readings already passed this month are replaced by new ones.
web-account-readings-done = Thank you, the readings are passed
web-account-readings-meters = Back to the meters
web-account-readings-again = Pass again or correct
web-field-taken-on = The day the readings were taken
web-field-taken-on-hint = Usually today. Not after today and not before the last reading.
web-error-taken-on = Give the day the readings were taken, for example 20.11.2026.
