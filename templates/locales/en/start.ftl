start-greeting =
    Hello! I am the water utility's bot.
    Here you can check your balance and meter verification dates, submit meter readings, get your bill, call an inspector and report an emergency.

consent-text =
    To link your personal account and work with it, we need your consent to the processing of your personal data (Federal Law No. 152-FZ "On Personal Data").

    We will store your Telegram ID, your linked personal accounts, your bot settings, and your e-mail address and phone number if you give them — solely to serve your personal accounts. Your data is not shared with third parties. You can withdraw your consent at any time in "⚙️ Settings" — we will then delete this data.

    Without consent, you can only check the amount owed and the meter verification date by personal account number.
consent-accept = ✅ I agree
consent-decline = I do not agree
consent-accepted = Thank you! Your consent has been recorded. Now please link your personal account — it only takes a minute.
consent-declined = All right, we will not store anything about you. You can still check the amount owed and the meter verification date by personal account number. If you change your mind, type /start.
consent-required = This requires your consent to the processing of personal data.
consent-show-again = Show the consent again
