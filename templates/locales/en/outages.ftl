## Water outages: the notices residents get (src/jobs/outage-notice.ts), the operators' desk
## (src/bot/features/outage-desk.ts) and the accident report's offer (conversations/report-accident.ts)

# The notice. $address is the resident's, $from and $to are dd.mm.yyyy hh:mm in the branch's time.
outage-notice-planned = Planned water outage at { $address }: from { $from } to { $to }.
outage-notice-emergency = Emergency water outage at { $address }: since { $from }, expected until { $to }.
outage-notice-reason = Reason: { $reason }.
outage-notice-emergency-hint = Our crews are already at work. There is no need to report this accident.
outage-notice-planned-hint = Please store some water in advance.
outage-notice-updated = The water outage at { $address } has a new expected end: water should be back by { $to } (we said { $before } before).
outage-notice-resolved = Water is back: the supply at { $address } has been restored. Thank you for your patience.
outage-notice-cancelled = The water outage at { $address } planned for { $from } has been cancelled. Water will be supplied as usual.

# The accident report: a known outage at the resident's place or address instead of a new report.
outage-kind-planned = Planned outage
outage-kind-emergency = Emergency outage
accident-outage-row = { $kind } { $where }until { $to }. Reason: { $reason }.
accident-outage-where = at { $address }{" "}
accident-outage-no-report = No report is needed: we know of the outage and will tell you when the water is back. If it is something else, report the accident.
accident-outage-fine = Got it
accident-outage-report-anyway = It is something else, report it
accident-outage-thanks = Thank you! The bot will tell you when the supply is restored.

# The operators' desk: /outage in the operators' group.
outage-desk-start = New water outage. Which kind?
outage-desk-kind-planned = Planned
outage-desk-kind-emergency = Emergency
outage-desk-drop = Cancel
outage-desk-ask-branch = Which branch?
outage-desk-ask-streets = Streets and houses, as a reply to this message, one street per line, for example:
    Ермакова 7, 9, 11
    Пятигорская все
outage-desk-street-unknown = Street «{ $street }» was not found. Check the spelling and send the list again as a reply to this message.
outage-desk-street-ambiguous = «{ $street }» matches: { $options }. Give the name more exactly and send the list again as a reply to this message.
outage-desk-houses-missing = The line «{ $line }» has no houses. Give the numbers separated by commas, or «все», and send the list again as a reply to this message.
outage-desk-too-many-streets = At most { $max } streets in one outage. Split it into several.
outage-desk-ask-time = From when until when, as a reply to this message, for example «02.12 09:00 – 02.12 18:00». For an emergency already under way the end is enough: «до 18:00».
outage-desk-time-unclear = The time could not be read. Example: «02.12 09:00 – 02.12 18:00» or «до 18:00». Reply to this message again.
outage-desk-time-order = The end must be after the start and after now. Reply to this message again.
outage-desk-ask-reason = The reason, as a reply to this message, for example «water main repair».
outage-desk-reason-too-long = The reason is longer than { $max } characters. Please shorten it and reply again.
outage-desk-text-expected = A text reply to this message is needed.
outage-desk-summary = Check the outage:
    { $kind }, { $branch }
    Where: { $where }
    From { $from } to { $to }
    Reason: { $reason }
outage-desk-all-houses = all houses
outage-desk-confirm = ✅ Announce
outage-desk-draft-dropped = The outage was not announced.
outage-desk-no-draft = These buttons are for the operator who started this outage, and only until it is announced. A new outage: /outage.
outage-desk-not-here = This command works in the operators' group only.
outage-desk-not-permitted = Your group does not serve this branch.
outage-desk-failed = That did not work. Please try again.
outage-desk-anonymous = Please reply as yourself, not as the group.

# The announcement posted in the group, with its buttons.
outage-desk-card = Outage No. { $id } ({ $status })
    { $kind }, { $branch }
    Where: { $where }
    From { $from } to { $to }
    Reason: { $reason }
outage-status-announced = announced
outage-status-updated = end changed
outage-status-resolved = water is back
outage-status-cancelled = cancelled
outage-desk-told = Notices to residents: now — { $now }, { $due } — { $later }.
outage-desk-told-now = Notices to residents: { $now }.
outage-desk-extend = 🕑 New end
outage-desk-resolve = 💧 Water is back
outage-desk-cancel = ✖️ Cancel
outage-desk-cancel-ask = Cancel outage No. { $id }? Residents already told of it will be told it is cancelled.
outage-desk-ask-end = Outage No. { $id }: the new expected end, as a reply to this message, for example «18:00» or «03.12 10:00».
outage-desk-updated = Outage No. { $id }: the end is now { $to }.
outage-desk-resolved = Outage No. { $id }: water is back.
outage-desk-cancelled = Outage No. { $id } has been cancelled.
outage-desk-closed = Outage No. { $id } is already closed ({ $status }).
outage-desk-not-found = There is no such outage.
