## Letters (templates/mail/letter.html and letter.txt lay them out) and the web pages of the mail

mail-sender = Vodokanal
mail-greeting = Hello,
mail-code-subject = Address confirmation code: { $code }
mail-code-title = Confirm your e-mail address
mail-code-intro = This address was given in the water utility's Telegram bot to receive bills.
mail-code-ask = To confirm it, send this code to the bot:
mail-code-expires = The code is valid for { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
mail-code-ignore = If you did not give this address, there is nothing to do: without the code it will not be added.
mail-footer-auto = This letter was sent automatically; there is no need to reply.

mail-receipt-subject = Bill for { $month }, account { $number }
mail-receipt-title = Bill for { $month }
mail-receipt-intro = Attached is the bill for { $month } for account { $number } (PDF).
mail-fact-account = Account
mail-fact-address = Address
mail-fact-advance = Overpayment
mail-fact-to-pay = To pay
mail-fact-amount = { $amount } ₽
mail-receipt-pay = You can pay with the QR code on the bill in your bank's app: the details and the amount are filled in for you.
mail-receipt-nothing-to-pay = There is no debt; nothing to pay.
mail-receipt-advance = There is nothing to pay: the overpayment will be set against the next charges.
mail-footer-contacts = Questions about charges: { $phones }{ $hours ->
    [none] {""}
   *[other] , { $hours }
}.
mail-footer-reply = You can reply to this letter: the reply goes to the customer office.
mail-subscribed = You receive this letter because you subscribed to the monthly bill in the Telegram bot.
mail-unsubscribe = Unsubscribe

web-unsubscribe-title = Unsubscribe from bills by e-mail
web-unsubscribe-ask = Stop sending the monthly bill for account { $number } by e-mail?
web-unsubscribe-button = Unsubscribe
web-unsubscribe-done = Done: bills for account { $number } will no longer be e-mailed. You can subscribe again in the Telegram bot.
web-unsubscribe-unknown = This link no longer works: you have already unsubscribed, or the subscription was cancelled in the bot.
mail-recon-subject = Statement of account for { $from } — { $to }, account { $number }
mail-recon-title = Statement of account for { $from } — { $to }
mail-recon-intro = Attached is the statement of account { $number } for { $from } — { $to } (PDF).
mail-recon-closing = At the end of the period
web-unsubscribe-paper-back = The paper bill will be delivered again.

## The outbox's notices by e-mail, for a resident without Telegram (signed up on the web pages)
mail-notice-subject-request_status = News about your request
mail-notice-subject-outage = Water outage at your address
mail-notice-subject-reading_window = Time to submit your meter readings
mail-notice-subject-verification = Meter verification due
mail-notice-why = This letter went to the address you confirmed on the utility's web pages: you have not connected Telegram.
