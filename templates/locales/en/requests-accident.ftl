## «Report an accident» on the street networks (seed 001 §4, seed 002)

accident-intro =
    🚨 Report an accident on the street water and sewer networks: in the street, a yard, on the road.
    If it leaks inside a flat or a stairwell, please call your building's management company.
accident-dispatcher = Emergency dispatcher, 24 hours: { $phone }
accident-dispatchers = Emergency dispatcher, 24 hours:
accident-dispatcher-of = • { $branch }: { $phone }
accident-office = Please ask the customer office for the emergency number: { $phone }
accident-offices = Please ask the customer office for the emergency number:
accident-dispatcher-unknown = Please ask the customer office for the emergency dispatcher's phone.
accident-ask-photos = Send photos of the place — one or several, an album is fine. When done, press «Done».
accident-photos-done = ✅ Done
accident-photos-none = Please send at least one photo first.
accident-photo-added = Photo added (total: { $count }). Send more or press «Done».
accident-album-added = Photos received. Send more or press «Done».
accident-photos-limit = At most 10 photos can be attached; the extra ones were not added. Press «Done».
accident-photo-not-image = This file does not look like a photo. Please send a picture of the place.
accident-photo-too-big = The file is larger than 20 MB — the bot cannot keep it. Please send a smaller picture.
accident-photo-expected = A photo of the place is needed here — a sticker or text will not do. Send a photo (📎), then press «Done».
accident-ask-place = Where is it? Press «📍 Send location» or type the address: street and house, a crossing or a landmark.
accident-send-location = 📍 Send location
accident-place-expected = Send the location with the button below or type the address.
accident-address-unclear = Please give more of the address: street and house number, a crossing or a landmark.
accident-outside-area =
    This place is outside the area our branches serve: the networks there belong to another water utility, and our crews do not go there.
    Please report it to the local water utility or to the emergency service at 112.
    If the point was sent by mistake, send another one or type the address.
accident-ask-branch = In which town is it? Choose the branch:
accident-branch-gone = This branch is no longer listed. Please choose from the list below.
accident-point = a point on the map
accident-place-noted = Place: { $place }.
accident-known = An accident nearby has already been reported:
accident-known-row = • { $number }, { $damage }, { $place }, { $at }
accident-known-ask = Is it the same one? Confirm it — no new report is needed then.
accident-join = ✅ Yes, it is { $number }
accident-another = No, it is another one
accident-joined = Thank you, your confirmation was added to request { $number }. Its statuses will come here.
accident-joined-anonymous = Thank you! The dispatcher already knows about it: request { $number }. The dispatcher can tell you how the work goes by its number.
accident-join-gone = That request can no longer be confirmed. Let us go on with a new report.
accident-ask-damage = What happened? Choose the kind of damage:
accident-damage-gone = This kind of damage can no longer be chosen in the bot. Please choose from the list below.
accident-no-damage-types = Sorry, the bot cannot take an accident report just now. Please call the dispatcher.
accident-ask-description = Describe briefly what you see, e.g. «water flows from under a manhole and floods the road».
accident-ask-phone = Leave a phone number so the dispatcher can ask for details. Press «📱 Share my number» or type it.
accident-phone-not-asked = We do not ask for a phone: without consent to the processing of personal data the bot keeps none. You can follow the request by its number with the dispatcher.
accident-summary =
    Please check the report:
    Place: { $place }
    Damage: { $damage }
    Description: { $description }
    Photos: { $photos }
    Phone: { $phone ->
        [none] not given
       *[other] { $phone }
    }
accident-send = ✅ Send
accident-sent = Request { $number } is registered. Response due by { $deadline } (24 hours).
accident-sent-followed = We will tell you of status changes here; the request is in «📋 My requests».
accident-sent-anonymous = The dispatcher can tell you how it goes by number { $number }.
accident-refused-too_many_requests = You have sent 10 requests in the last 24 hours — the bot cannot take more for now. If the accident is dangerous, call the dispatcher.
accident-refused-duplicate_request = The same report has already been sent in the last 24 hours; there is no need to repeat it.
accident-refused-outside_area = This place is outside the area our branches serve. Please report it to the local water utility or at 112.
accident-consent-gone = The consent to the processing of personal data was withdrawn, so the phone cannot be kept. The report can be sent without a phone — you can follow it by its number with the dispatcher.
accident-send-without-phone = ✅ Send without a phone
accident-refused-resident_not_found = The consent to the processing of personal data was withdrawn, so the phone cannot be kept. Please start the report again.
accident-refused-anonymous-limit = You have sent 5 accident reports in the last 24 hours — we cannot take more. If the accident is dangerous, please call the dispatcher.
