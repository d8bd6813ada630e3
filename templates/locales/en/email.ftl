## E-mail in the bot: the address, its code, receipts by e-mail

settings-email = ✉️ E-mail
email-none = No e-mail address yet. Bills can be sent there as PDF: on request or every month.
email-current = E-mail: { $address }
email-pending = Waiting for the confirmation code sent to { $address }.
email-subscriptions = Monthly bill by e-mail:
email-subscription-on = ✅ { $number }: subscribed
email-subscription-off = ▫️ { $number }: not subscribed
email-set = Add an address
email-change = Change the address
email-remove = Remove the address
email-enter-code = Enter the code
email-subscribe = 📬 Subscribe: { $number }
email-unsubscribe = Unsubscribe: { $number }
email-ask-address = Type your e-mail address, for example ivanova@mail.ru.
email-bad-address = That does not look like an e-mail address. Please check it and type it again, for example ivanova@mail.ru.
email-code-sent = We sent a { $digits }-digit code to { $address }. Type it here. The code is valid for { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
    No letter? Look in the spam folder or send the code again.
email-code-wrong = The code does not match. { $left ->
    [one] { $left } attempt left.
   *[other] { $left } attempts left.
}
email-code-format = The code is the { $digits } digits in the letter. Please type it again.
email-code-expired = The code no longer works: it has expired or was mistyped too many times. Send a new one?
email-no-pending = No code is expected now. Give the address and we will send a new one.
email-resend = Send the code again
email-other-address = Use another address
email-too-many = We have sent too many codes already. A new one can be sent in { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
}.
email-send-failed = The letter could not be sent. Please try again a little later.
email-confirmed = The address { $address } is confirmed. Bills can now be sent there.
email-remove-confirm = Remove { $address }? Bills will no longer be sent there.
email-remove-yes = Yes, remove
email-removed = The e-mail address has been removed.
email-removed-unsubscribed = The e-mail address has been removed and the monthly bills stopped.

receipt-send-email = ✉️ Send by e-mail
receipt-subscribe = 📬 E-mail it every month
receipt-unsubscribe = Stop the monthly e-mail
receipt-need-email = To get bills by e-mail, give your address and confirm it with the code from the letter.
receipt-mail-sending = Sending to { $address }…
receipt-mail-sent = The bill for { $month } has been sent to { $address }.
receipt-mail-failed = The bill could not be e-mailed. Please try again a little later.
receipt-mail-already = This bill has just been sent to { $address }. Please check your mail, including the spam folder.
receipt-mail-limited = Too many letters in the last hour. Please try again later.
receipt-subscribed = Done: bills for account { $number } will be e-mailed to { $address } every month as soon as they are ready.
receipt-already-subscribed = Bills for account { $number } are already e-mailed to { $address } every month.
receipt-unsubscribed = The monthly e-mail for account { $number } is stopped.
receipt-render-failed = The bill could not be made. Please try again a little later.
email-paper-on = { "   " }Paper bill: delivered
email-paper-off = { "   " }Paper bill: declined, e-mail only
email-paper-decline = 📄 Decline the paper bill: { $number }
email-paper-back = 📄 Get the paper bill again: { $number }
email-paper-declined = Done: the bill for account { $number } will come by e-mail only, no paper copy. We pass this on to the utility; you can get the paper bill back here.
email-paper-restored = The paper bill for account { $number } will be delivered again.
email-paper-back-unsubscribed = Without the e-mail subscription, the paper bill for account { $number } will be delivered again.
email-removed-paper-back = The e-mail address has been removed and the bills by e-mail stopped. The paper bill will be delivered again.
receipt-unsubscribed-paper-back = Bills by e-mail for account { $number } are stopped. The paper bill will be delivered again.
email-taken = This address is already used by another customer. Please send a different e-mail address.
