## The web pages («Личный кабинет» on the site): layout, home, lookups without signing in

web-site-name = Vodokanal — customer account
web-skip-to-content = Skip to content
web-language-nav = Language
web-language-switch = Русский
web-footer = The same services are in the utility's Telegram bot. Questions: your branch's customer office.
web-home-link = Home page

web-home-title = Customer account
web-home-intro = Here you can look up an account's debt and its number without signing in.
web-home-public = Without signing in
web-home-bot = All of this and more is in the Telegram bot { $bot }.

web-errors-title = Please check what you entered
web-error-prefix = Error:

web-debt-title = Debt by account number
web-debt-about = Debt or overpayment and the nearest meter verification date.
web-debt-submit = Look up the debt
web-debt-again = Check another account
web-debt-short-link = I only know the short account number
web-field-long-number = Account number
web-field-long-number-hint = 15 digits, as on the bill.
web-error-long-number = Enter the 15 digits of the account number, as on the bill.
web-error-not-found = No account with this number was found. Please check the digits on the bill.

web-number-title = The 15-digit number from a short one
web-number-about = The short number from an older bill and your utility give the full account number.
web-number-submit = Find the number
web-field-branch = Utility
web-field-branch-choose = Choose the utility
web-field-short-number = Short account number
web-field-short-number-hint = Digits only.
web-error-branch = Choose the utility from the list.
web-error-short-number = Enter the short account number in digits.
web-error-short-not-found = No account with this number was found at this utility. Please check the number and the utility.

web-readings-title = Pass meter readings without signing in
web-readings-about = With the account number, house and flat from the bill.
web-readings-intro = You can pass readings without signing in: enter the account number, the house and the flat from your bill.
web-readings-find = Continue
web-readings-how = Enter the meter's reading in digits, for example 123 or 123.45. You may leave a field empty to skip that meter.
web-readings-last = Last reading: { $value } m³ on { $date }.
web-readings-no-last = There are no earlier readings.
web-readings-submit = Pass the readings
web-readings-other = Pass readings for another account
web-field-house = House
web-field-house-hint = For example: 7, 12A or 12 bldg 2.
web-field-flat = Flat
web-field-flat-hint = Required in a block of flats. Leave it empty for a private house.
web-error-house = Enter the house number as on the bill.
web-error-readings-none = Enter the reading of at least one meter.
web-error-reading-refused-below = The reading is lower than the previous one and was not accepted. Please check the digits.
web-error-reading-refused-expired = The meter's verification has expired; the reading was not accepted.

web-charges-title = Last month’s charges (PDF)
web-charges-about = The account’s charges in detail, by its number, address and the owner’s surname.
web-charges-intro = Enter the details from your bill and the account owner’s surname, and download last month’s charges as a PDF.
web-charges-submit = Download the PDF
web-field-surname = Account owner’s surname
web-field-surname-hint = As on the bill.
web-field-pin = PIN
web-field-pin-hint = If your utility gave you a PIN for the customer account.
web-error-surname = Enter the account owner’s surname.
web-error-owner-not-found = No account matches these details. Please check the number, house, flat and surname against the bill.
web-error-pin-required = This account needs the PIN your utility gave you. If you entered it, please check it.
web-error-no-charges = There are no charges for this account yet.

web-error-title = Something went wrong
web-error-stale-form = This page is out of date. Please open it again and repeat; you will need to enter the details again.
web-error-too-many = Too many requests in a row. Please wait a little and try again.
web-error-too-large = The file is too large.
web-error-bad-request = The request could not be read. Please open the page again.
web-error-generic = Sorry, something went wrong. Please try again in a minute.
web-not-found-title = Page not found
web-not-found = There is no such page. Please start from the home page.
