## The operators' desk: request cards and buttons in the operators' forum group (src/jobs/request-card.ts, src/bot/features/operator-desk.ts)

# Topics of the group, one per kind of request.
desk-topic-inspector = Inspector visits
desk-topic-commissioning = Meter commissioning and sealing
desk-topic-accident = Accidents

desk-card-status = Status: { $status }
desk-card-created = Sent: { $at }
desk-card-deadline = Due: by { $at }
desk-card-deadline-settled = Was due: by { $at }
desk-card-account = Account: { $number }, owner { $owner }
desk-card-address = Address: { $address }
desk-card-branch = Branch: { $branch }
desk-card-place-address = Place: { $address }
desk-card-place-point = Place: a point on the map { $latitude }, { $longitude } (above)
desk-card-no-account = No account given
desk-card-reason = Reason: { $reason }
desk-card-visit = Preferred visit time: { $at }
desk-card-meter = Meter: No. { $serial }
desk-card-meters = Meters:
desk-card-meter-line = { $index }. { $type }: { $service }, No. { $serial }
desk-meter-model = model { $model }
desk-meter-place = place: { $place }
desk-meter-due = verification due { $date }
desk-meter-reading = reading { $reading } m³
desk-meter-installer = installed by: { $installer }
desk-type-commissioning = commissioning
desk-type-sealing = sealing
desk-card-consents = The resident accepts the terms and will give access.
desk-card-damage = Damage: { $damage }
desk-card-description = Description: { $text }
desk-card-comment = Resident's comment: { $text }
desk-card-phone = Phone: { $phone }
desk-card-no-phone = No phone given
desk-card-attachments = Photos and documents: { $count }{ $later ->
    [0] {" "}— above the card
   *[other] { $above ->
        [0] {" "}— in replies to the card
       *[other] {" "}— { $above } above the card, { $later } in replies to it
    }
}
desk-card-files-refused = { $count ->
    [one] { $count } file not shown: it did not pass the check (another file type, or too big)
   *[other] { $count } files not shown: they did not pass the check (another file type, or too big)
}
desk-card-rating-good = Resident's rating: 👍 all good
desk-card-rating-bad = Resident's rating: 👎 not done
desk-card-rating-bad-why = Resident's rating: 👎 not done — “{ $reason }”
desk-card-history = Latest events:
desk-card-event = { $at } — { $status }, { $who }
desk-card-event-resident = { $at } — { $move ->
    [answered] the resident answered
    [good] the resident confirmed it done
   *[bad] the resident: 👎 not done
} → { $status }
desk-card-event-comment = “{ $comment }”
desk-by-resident = resident
desk-by-operator = <a href="tg://user?id={ $id }">operator</a>
desk-by-operator-unknown = operator
desk-by-system = automatically
desk-comment-no-answer = the resident did not answer in 3 days
desk-photos-caption = { $number }: the resident's photos and documents
desk-photos-later-caption = { $number }: more from the resident

desk-refresh = 🔄 Refresh

# Answers to the operators.
desk-moved = Done: { $status }
desk-status-changed = The request's status has already changed: “{ $status }”
desk-not-permitted = This request belongs to another branch: this group does not handle it.
desk-not-here = These buttons work only in the operators' group.
desk-move-not-allowed = This request cannot be moved that way.
desk-request-not-found = Request not found.
desk-failed = That did not work, please try again.
desk-refreshing = Refreshing the card
desk-comment-prompt = Write a comment for the resident as a reply to this message (request { $number } → { $status })
desk-comment-placeholder = Comment for the resident
desk-comment-asked = Write the comment as a reply to the bot's message
desk-comment-empty = A comment is needed: reply to the bot's message with text.
desk-comment-anonymous = Please reply as yourself, not on behalf of the group: the move is recorded for the operator.
desk-comment-not-yours = This comment is awaited from the operator who pressed the button. To write your own, please press the button on the card yourself.
desk-comment-too-long = The comment is longer than { $max } characters ({ $length } now). Please shorten it and reply to the bot's message again.
