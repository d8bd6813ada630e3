## The resident's requests: the inspector's call and a meter's commissioning (seed 000 §9, seed 001 §4)

inspector-choose = What do you need?
inspector-choose-call = 👷 Inspector visit
inspector-choose-commission = 🔧 Meter commissioning or sealing
inspector-for-meter = 👷 Call an inspector
inspector-for-meter-serial = 👷 Call an inspector — No. { $serial }

request-account = Personal account: { $number }
    Owner: { $owner }
    Address: { $address }
    Branch: { $branch }
request-need-link = Requests are made for a linked personal account. Please link yours first — it takes a minute.
request-meter-not-found = This meter does not belong to the personal account selected now. You can make the request without it, or choose the right account in «My accounts».
request-too-many = You have filed 10 requests in the last 24 hours — the bot cannot take more for now. For anything urgent, please call the customer office.
request-duplicate = You have already filed this request in the last 24 hours — no need to repeat it. We will tell you here of every change of its status.
request-too-long = That is too long: at most { $max } characters, please.
request-skip = Skip
request-summary = Please check your request:
request-send = ✅ Send

request-ask-phone = Your contact phone — to agree the visit with you. Tap «📱 Share my number» or type it, e.g. +7 928 123-45-67.
request-share-phone = 📱 Share my number
request-phone-hint = Tap «📱 Share my number» or type the number in digits.
request-phone-not-own = That is someone else's number. Please share your own, or type the number we can reach you on.
request-phone-invalid = That does not look like a phone number. Please type it in full, e.g. +7 928 123-45-67 or 8 928 123-45-67.
request-phone-hint-optional = Tap «📱 Share my number», type the number in digits or choose «Without a phone».
request-no-phone = Without a phone
request-phone-skipped = All right, without a phone.
request-phone-taken = Contact phone: { $phone }
request-consent-gone = The consent to the processing of personal data was withdrawn — without it a request cannot be accepted. You can give it again with /start.
request-not-sent = The request could not be sent just now. Please make it again a little later or call the customer office.
request-installer-self = the owner

request-visit-day = { $weekday ->
    [0] Sun
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
   *[6] Sat
}, { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}

## Calling an inspector

inspector-header = 👷 Calling an inspector
inspector-meter = Meter: { $service }, No. { $serial }
inspector-no-reasons = An inspector cannot be called through the bot right now. Please call the customer service office.
inspector-ask-reason = Reason for the visit:
inspector-reason-filled = Reason: { $reason }
inspector-reason-gone = This reason is no longer accepted in the bot. Please choose another.
inspector-ask-day = Which day suits you for the inspector's visit?
inspector-day-hint = Please choose a day with a button: the inspector visits only on the days shown.
inspector-day-unavailable = That day can no longer be booked. Please choose another.
inspector-no-days = There are no days available for a visit. Please call the customer service office.
inspector-ask-hour = What time suits you?
inspector-hour-hint = Please choose the time with a button.
inspector-hour-unavailable = The inspector does not visit at that time. Please choose another.
inspector-ask-comment = A note for the inspector: floor, entrance, intercom code or what needs checking. If there is nothing to add, tap «Skip».
inspector-summary = Reason: { $reason }
    Visit: { $day }, { $hour }
    Phone: { $phone }
inspector-summary-comment = Note: { $comment }
inspector-sent = Request { $number } is sent. Preferred visit: { $day }, about { $hour } — it will be confirmed by phone. It is due by { $deadline }. We will tell you of status changes in this chat.

## Commissioning or sealing a meter

commission-header = 🔧 Request to commission or seal a meter
commission-no-passport-data = The bot does not ask for the owner’s passport — the inspector will see it on the spot.
commission-ask-type = Meter { $n }. What is needed?
commission-type-commissioning = Commissioning
commission-type-sealing = Sealing
commission-ask-meter = Which meter?
commission-new-meter = ➕ A new meter
commission-ask-service = Which water does the meter measure?
commission-ask-serial = The meter's serial number — it is on the meter and in its passport:
commission-bad-serial = The number is 3 to 32 letters and digits, «-» and «/» allowed. Please check it in the meter's passport.
commission-ask-model = The meter's model, e.g. «СВК-15»:
commission-ask-place = Where it is installed: kitchen, bathroom, manhole…
commission-ask-due = The next verification date from the passport, as DD.MM.YYYY, e.g. 15.03.2032:
commission-ask-due-known = The next verification date — from the verification certificate, as DD.MM.YYYY. If it has not changed, press the button.
commission-due-same = The same: { $date }
commission-bad-due = Please give the date as DD.MM.YYYY, e.g. 15.03.2032.
commission-due-past = The next verification date has already passed — such a meter cannot be commissioned. Please check the date in the passport or the verification certificate.
commission-ask-reading = The meter's reading now — digits only, e.g. 0 or 12.345:
commission-ask-installer = Who installed the meter? Type the company’s name or press «Installed it myself».
commission-installer-self = Installed it myself
commission-ask-passport = Send a photo of the meter’s technical passport — the page with the serial number (a picture or a PDF).
commission-ask-certificate = Please send a photo of the verification certificate (a photo or a PDF file).
commission-ask-certificate-optional = Please send a photo of the verification certificate (a photo or a PDF file), if you have one. If not, tap «Skip».
commission-file-hint = A photo or a PDF file is needed. Please send a picture of the document.
commission-file-type = This file will not do: a photo (JPEG, PNG, WebP) or a PDF is needed. Send a HEIC picture as a photo, not as a file.
commission-file-too-big = The file is over 20 MB — the bot cannot keep it. Please send a smaller picture.
commission-file-kept = Document received.
commission-meter-added = { $count ->
    [1] One meter in the request.
   *[other] Meters in the request: { $count }.
} Add another?
commission-add-meter = ➕ Add another meter
commission-next = Continue
commission-terms = Terms: the inspector checks the meter, its seals and documents on site; if the meter is not fit for billing, commissioning is refused with the reason. Readings of the meter count from the date it is commissioned.
commission-terms-accept = ✅ I accept the terms
commission-access = The check needs access to the meter and the pipes it is on, at the agreed time.
commission-access-accept = ✅ I will give access
commission-summary-meter = { $n }. { $type }: { $meter }{ $model ->
        [none] {""}
       *[other] , model { $model }
    }{ $due ->
        [none] {""}
       *[other] , verified until { $due }
    }
    Reading: { $reading } m³; installed by: { $installer }; documents: { $files }
commission-summary-end = Phone: { $phone }
    You accept the terms and will give access to the meter.
commission-sent = Request { $number } is sent. It is due by { $deadline }. We will tell you of status changes in this chat.
request-use-saved-phone = ✅ My number { $phone }
