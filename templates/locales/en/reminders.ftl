## Reminders the bot writes first (src/jobs/notice-kinds.ts) and their settings (src/bot/features/reminders.ts)

reminder-month = { $month ->
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

reminder-window-open = Meter readings for { $month } are now being accepted.
reminder-window-closing = Two days are left to pass meter readings for { $month }.
reminder-window-last = Today is the last day to pass meter readings for { $month }.
reminder-address = Address: { $address }
reminder-window-missing = Not passed yet:
reminder-meter = • { $meter }
reminder-window-last-day = The last day is { $date }. Readings passed later will count for the next month.
reminder-window-pass = 📟 Pass readings

reminder-verification-soon = The verification of { $count ->
    [one] a meter
   *[other] meters
} ends on { $date }: { $days } { $days ->
    [one] day
   *[other] days
} left.
reminder-verification-today = The verification of { $count ->
    [one] a meter
   *[other] meters
} ends today.
reminder-verification-expired = The verification of { $count ->
    [one] a meter
   *[other] meters
} ended on { $date }.
reminder-verification-billing = After that date the meter's readings are not accepted: for the first three months you are charged by your average consumption, then by the norm (Government Decree No. 354). To be charged by the meter again, have it verified or replaced and call an inspector.
reminder-verification-inspector = 🛠 Call an inspector

reminder-off = 🔕 Don't remind me
reminder-off-done = We will not remind you of this for this account any more. You can turn it back on in Settings.

settings-reminders = 🔔 Reminders
reminders-settings-title = Reminders for your personal accounts. Tap to turn them on or off.
reminders-settings-none = Reminders come for linked personal accounts, and you have none yet.
reminders-settings-account = { $number }, { $address }
reminders-kind-reading_window = { $on ->
    [yes] ✅
   *[no] ⬜️
} Meter readings · { $number }
reminders-kind-verification = { $on ->
    [yes] ✅
   *[no] ⬜️
} Meter verification · { $number }
