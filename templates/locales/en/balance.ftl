## Balance (seed 000 §10), statements (§8), payments (seed 001)

balance-header = Personal account { $number }
    { $address }
balance-debt = Amount owed: { $amount } ₽
balance-overpaid = Overpayment: { $amount } ₽
balance-zero = You have no outstanding balance.
balance-to-pay = Amount due: { $amount } ₽
# useGrouping "min2": the English number format would otherwise print the year as "2,026".
balance-as-of = As of the end of { $month ->
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
} { NUMBER($year, useGrouping: "min2") }, including subsequent charges and payments.
balance-verification = Next meter verification date: { $date }
balance-verification-expired = ⚠️ Your meter's verification period expired on { $date }. Readings from a meter past its verification date cannot be used for billing: charges are based on your average consumption, and after 3 months on the standard consumption rate. Please call an inspector or contact the customer service office.
balance-verification-soon = ⚠️ Your meter's verification period expires on { $date }, { $days ->
    [0] today
    [one] in { $days } day
   *[other] in { $days } days
}. Please arrange for meter verification in good time.
balance-no-meters = No meters are registered for this personal account; charges are based on the standard consumption rate.
balance-statements = 📊 Monthly charges
balance-payments = 💳 Payment history

# useGrouping "min2": see balance-as-of.
month-name = { $month ->
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

statements-title = Charges and payments, ₽ (personal account { $number })
statements-row =
    { $month }
      opening balance: { $opening } · charged: { $charged } ({ $volume } m³){ $recalculation ->
        [none] {""}
       *[other] {" "}· incl. recalculation: { $recalculation }
    }
      benefits: { $benefits } · paid: { $paid } · closing balance: { $closing }
# An amount in the month table that is an overpayment (a negative balance).
statements-overpaid = overpaid { $amount }
statements-none = There are no charges yet.
statements-older = ← Earlier
statements-newer = Later →

payments-title = Payments for personal account { $number }
payments-row = { $received } — { $amount } ₽, { $kind }{ $processed ->
    [none] {""}
   *[other] {" "}(processed { $processed })
}
payments-none = There are no payments yet.
payments-older = ← Earlier

## Without linking (seed 000 §10)

public-ask-number = Please enter the 15-digit personal account number from your bill. If you only know the short number, choose your water utility first.
public-short-number = I have a short number
public-resolved = Your 15-digit personal account number: { $number }
public-not-found = We couldn't find a personal account with this number. Please check the digits on your bill.
public-limited = Too many requests in the last hour. Please try again later — the limit resets within an hour.
public-result = Personal account { $number }:
