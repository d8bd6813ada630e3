# "💬 Message an operator": the resident's side (features/operator-chat.ts) and the topic in the operators' group (jobs/chat-relay.ts).
menu-chat-end = ✖️ End the conversation

chat-weekday = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
chat-opened =
    Write your question and I will pass it to an operator. You can send a photo, a document, a voice message or a place on the map.
    To finish, tap "✖️ End the conversation".
chat-opened-in-hours =
    { $branch }: the operators answer { $days }, { $from }:00 to { $to }:00.
    Write your question and I will pass it to an operator. You can send a photo, a document, a voice message or a place on the map.
    To finish, tap "✖️ End the conversation".
chat-opened-off-hours =
    { $branch }: the operators answer { $days }, { $from }:00 to { $to }:00. It is outside working hours now: the answer will come during working hours. If it is urgent, please call{ $phones ->
        [none] {""} the emergency dispatch service.
       *[other] : { $phones }.
    }
    Write your question and I will pass it to an operator. To finish, tap "✖️ End the conversation".
chat-banned = Messaging an operator in the bot is not possible now. Please call the customer service office{ $phones ->
    [none] .
   *[other] : { $phones }.
}
chat-banned-answer = Messages to operators are not accepted in the bot now. Please call the customer service office.
chat-no-operators = Messaging an operator is not available in the bot yet. Please call the customer service office{ $phones ->
    [none] .
   *[other] : { $phones }.
}
chat-not-open = There is no conversation with an operator now. To write to one, tap "💬 Message an operator".
chat-ended = The conversation with the operator has ended. If you have a question, tap "💬 Message an operator".
chat-queue-long = Many people are writing to the operators now — your message has been received and will reach them in turn. We will answer as soon as we can.
chat-call-instead = Your message cannot be passed to an operator right now. Please call the customer service office{ $phones ->
    [none] .
   *[other] : { $phones }.
}
chat-rate-ask = Thank you for writing. Please rate the conversation with the operator:
chat-closed-by-operator = The operator has ended the conversation. Please rate how we helped:
chat-reopened = The operator is back — you can continue the conversation.
chat-rate-good = 👍 Helpful
chat-rate-bad = 👎 Not helpful
chat-rate-thanks = Thank you for the rating!
chat-rate-already = Your rating has already been recorded, thank you.
chat-signature = — { $name }, operator

# In the operators' topic (HTML).
chat-topic-title = Acc. { $number } · { $branch }
chat-topic-title-unlinked = { $name } · no account · …{ $id }
chat-topic-title-unknown = A resident's message
chat-card-head = 👤 <b>{ $name }</b>, language: { $language }
chat-card-linked = Account linked
chat-card-not-linked = Consent given, no account linked
chat-card-no-consent = No consent to data processing: no account linked, no data kept
chat-card-blocked = ⛔ The resident has blocked the bot: replies will not reach them
chat-card-banned = 🚫 The resident's messages are not accepted (/unban to accept them again)
chat-card-closed = The conversation has ended (/reopen to open it again)
chat-card-account = Account <b>{ $number }</b> (short { $short }), owner { $owner }
chat-card-address = Address: { $address }
chat-card-branch = Branch: { $branch }
chat-card-debt = Debt: { $amount } RUB
chat-card-overpaid = Overpayment: { $amount } RUB
chat-card-settled = No debt
chat-card-readings = Latest readings:
chat-card-reading = • { $service }, No. { $serial }: { $value } m³ on { $date }
chat-card-no-readings = No readings yet
chat-card-requests = Open requests:
chat-card-request = • { $number } · { $kind } — { $status }
chat-card-no-requests = No open requests
chat-card-recreated = ⚠️ This resident's previous topic was deleted — a new one was made. The messages before it stay in the deleted topic.
chat-card-commands = A reply in this topic goes to the resident. Not sent: the commands /close, /reopen, /ban, /unban, /requests and notes starting with "!" or "#note".
chat-card-refresh = 🔄 Refresh
chat-card-requests-button = 📋 Resident's requests
chat-card-refreshed = Card refreshed
chat-note-resident-closed = The resident ended the conversation.
chat-note-resident-reopened = The resident has written to the operators again.
chat-note-rated-good = The resident rated the conversation: 👍 helpful.
chat-note-rated-bad = The resident rated the conversation: 👎 not helpful.
chat-note-blocked = ⛔ The resident has blocked the bot: replies will not reach them.
chat-note-closed = The conversation was ended by an <a href="tg://user?id={ $operator }">operator</a>; the resident was asked to rate it.
chat-note-reopened = The conversation was opened again by an <a href="tg://user?id={ $operator }">operator</a>; the resident was told.
chat-note-banned = An <a href="tg://user?id={ $operator }">operator</a> stopped accepting the resident's messages: they no longer come here.
chat-note-unbanned = An <a href="tg://user?id={ $operator }">operator</a> accepts the resident's messages again.
chat-note-unknown = A conversation event.
chat-group-no-rights = I cannot create a topic for a conversation with a resident: the bot lacks the "Manage topics" right (or topics are off in the group). Residents' messages are not delivered — give the bot that right in the group settings. Residents were asked to call.
chat-op-commands = Not sent to the resident. Topic commands: /close — end the conversation, /reopen — open it again, /ban — stop accepting the resident's messages, /unban — accept them again, /requests — the resident's requests. Start a note for colleagues with "!" or "#note".
chat-op-closed = The conversation has ended; the message was not sent to the resident. To continue, type /reopen.
chat-op-already-close = The conversation has already ended.
chat-op-already-reopen = The conversation is already open.
chat-op-already-ban = The resident's messages are already not accepted.
chat-op-already-unban = The resident's messages are already accepted.
