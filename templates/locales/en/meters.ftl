## «Meters» (seeds 001/002 «Информация об ИПУ», seed 000 §5)

cmd-meters = Meters: verification, readings, average use
meters-button = 🔢 Meters
meters-title = Meters of personal account { $number }
meters-none = There are no meters; charges are based on the standard consumption rate.
meters-name = 💧 { $service }, No. { $serial }
meters-place = Installed in: { $place }
meters-model = Model: { $model }
meters-installed = Installed on: { $date }
meters-verification = Verification due: { $date }{ $state ->
    [expired] {" "}— ❗ overdue, readings are not accepted
    [due_soon] {" "}— ⚠️ { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
   *[ok] {""}
}
meters-verification-unknown = Verification: date not on file
meters-status = Status: { $status ->
    [disconnected] 🚫 disconnected
   *[active] in service
}
meters-last = Last reading: { $value } m³ on { $date } ({ $source })
meters-last-none = No readings yet
meters-average = Average use: { $volume } m³ a month (over { $months ->
    [one] { $months } month
   *[other] { $months } months
})
meters-pass = 📟 Pass reading, No. { $serial }
meters-history = 📈 History, No. { $serial }
