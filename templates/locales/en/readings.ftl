## Passing meter readings (seed 000 §6, seed 003)

readings-header = Meter readings for personal account { $number }
readings-window-open = Readings are accepted until { $closes } inclusive and will count in this month's bill.
readings-window-later = Readings are accepted from { $opens } to { $closes }. Readings sent now will be kept and will count from { $opens }.
readings-no-meters = There are no active meters on this personal account; charges are based on the standard consumption rate.
readings-meter = { $service }, No. { $serial }{ $place ->
    [none] {""}
   *[other] , { $place }
}
readings-ask = { $meter }
    Last reading: { $last }
    Enter the current reading — digits only, for example: { $example }
    Or the volume since the last reading with a «+», for example: +{ $volume }
    You may attach a photo of the meter.
readings-ask-first = { $meter }
    Enter the current reading — digits only, for example: { $example }
    You may attach a photo of the meter.
readings-last = { $value } m³ on { $date }
readings-skip = Skip this meter
readings-expired = { $meter }: the verification period ended on { $date }. Readings of this meter are not accepted for billing — charges are based on the average, and after 3 months on the standard rate. To pass readings again the meter must be verified or replaced: call an inspector or contact the customer service office.
readings-bad-empty = Please send the reading in digits.
readings-bad-not_a_number = A reading is digits only, for example 123 or 123.45. Please try again.
readings-bad-negative = A reading cannot be negative.
readings-bad-too_many_decimals = This meter shows { $decimals ->
    [0] no decimals
    [one] { $decimals } decimal
   *[other] { $decimals } decimals
}. Please enter the reading again.
readings-bad-too_many_digits = This meter has at most { $digits ->
    [one] { $digits } digit
   *[other] { $digits } digits
} before the decimal point. Please check the reading.
readings-below = The reading { $value } m³ is lower than the previous one ({ $previous } m³), which cannot be. Please check the digits. If the meter was replaced, the inspector enters the new readings: call an inspector or contact the customer service office.
readings-unusual = Are you sure? A consumption of { $volume } m³ is well above the usual (at most { $limit } m³ a month). If the reading is right, please check for leaks: dripping taps or a running toilet cistern.
readings-unusual-yes = Yes, the reading is right
readings-unusual-fix = Enter again
readings-summary = Please check the readings:
readings-summary-row = { $meter }: { $value } m³{ $volume ->
    [none] {""}
   *[other] {" "}(consumption { $volume } m³)
}
readings-summary-partial = Readings are not given for every meter. Send only these?
readings-confirm = ✅ Confirm
readings-edit = ✏️ Enter again
readings-nothing = No reading was given for any meter.
readings-stored = The readings are accepted and already count in the bill.
readings-stored-later = The readings are saved and will count from { $opens }.
readings-corrected = This month's earlier readings were replaced; the history is kept.
readings-charge = Charged at current tariffs for { $month }: water { $water } ₽, sewerage { $sewage } ₽, total { $total } ₽.
readings-refused-below = { $meter }: the reading is lower than the previous one ({ $previous } m³) and was not accepted.
readings-refused-expired = { $meter }: the verification period has ended; the reading was not accepted.
readings-inspector-offer = If the meter needs checking, call an inspector — the reason and the meter will be filled in.
service-cold_water = Cold water
service-hot_water = Hot water
service-sewerage = Sewerage
readings-already = A reading of { $value } m³ was already sent this month; the new one will replace it.

## History (seed 000 §7)

history-button = 📈 Reading history
history-pick = Choose a meter:
history-no-meters = There are no meters on this personal account, so there are no readings: charges are based on the standard consumption rate.
history-title = Reading history: { $meter }
# Seed 000 §7: the month it counts for, then when it was taken, when it reached the billing and how.
history-row =
    { $period }: { $value } m³{ $volume ->
        [none] {""}
       *[other] {" "}(+{ $volume })
    }{ $replaced ->
        [yes] {" "}— replaced by a correction
       *[no] {""}
    }
      taken { $date } · recorded { $recorded } · { $source }
history-none = No readings yet.
history-older = ← Earlier
source-initial = initial
source-receipt = from a bill
source-portal = personal account website
source-telegram = Telegram
source-control = inspector's check
source-operator = operator
readings-unlinked-intro = You can pass readings without linking the account: give the account number, house and flat from your bill.
readings-ask-number = Personal account number — the 15 digits on your bill:
readings-bad-number = The personal account number has 15 digits, as on your bill. Please try again.
readings-not-found = We could not find an account with this number, house and flat. Please check them against your bill and start again.
readings-photo-kept = We will keep the photo of the meter with the reading. Now enter the reading in digits.
readings-photo-too-big = The photo is too large (over 20 MB). Send a smaller one, or just enter the reading.
readings-photo-failed = We could not keep the photo. Please enter the reading in digits — the photo is optional.
readings-pick = Pass the readings of all meters one after another, or of one meter?
readings-all = All meters in turn

## The day the values were taken (seeds 001/002)

readings-change-date = 📅 Read on another day
readings-summary-date = Date the meters were read: { $date }
readings-ask-date = When were the meters read? Type the date as DD.MM.YYYY, for example { $today }.
readings-date-today = Today
readings-bad-date = That date could not be read. Please type it like this: 20.11.2026.
readings-date-future = The date cannot be later than today ({ $today }).
readings-date-before-last = The date cannot be earlier than the last reading ({ $last }).
readings-volume-no-last = This meter has no earlier reading to add the volume to. Please enter the reading itself.
