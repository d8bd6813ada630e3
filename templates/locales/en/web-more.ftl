## The signed-in web pages: receipts, settings, requests, the sign-in through Telegram

web-more-not-found-title = Page unavailable
web-more-not-found = This page is not in your account. The personal account may have been unlinked, or the link is out of date.
web-more-no-accounts = No personal account is linked yet.
web-more-field-account = Personal account
web-more-show = Show
web-more-back-account = Back to my account
web-more-nav = Sections of my account

web-receipts-title = Receipts
web-receipts-months = Receipts for personal account { $number }
web-receipts-pdf = { $month } — download PDF
web-receipts-pages = Other months
web-receipts-older = ← Earlier
web-receipts-newer = Later →
web-receipts-email-title = The receipt by e-mail
web-receipts-email-on = Every month the receipt is sent to { $address }.
web-receipts-email-off = You can get the receipt every month at { $address }.
web-receipts-email-none = To get the receipt by e-mail, add and confirm an address in the settings.
web-receipts-subscribe = Send me the receipt by e-mail
web-receipts-unsubscribe = Stop sending the receipt by e-mail
web-receipts-subscribed = Done: the receipt will be sent to { $address } every month.
web-receipts-unsubscribed = The receipt will no longer be sent by e-mail.
web-receipts-unsubscribed-paper-back = The receipt will no longer be sent by e-mail. The paper receipt will come by post again.
web-receipts-need-email = First add and confirm an e-mail address in the settings.
