## Main menu (persistent keyboard) and commands

menu-readings = 📟 Submit readings
menu-balance = 💰 Balance
menu-receipt = 🧾 Bill
menu-inspector = 👷 Call an inspector
menu-accident = 🚨 Report an emergency
menu-operator = 💬 Message an operator
menu-accounts = 🏠 My accounts
menu-settings = ⚙️ Settings
menu-public-balance = 🔎 Balance by account number
menu-cancel = ✖️ Cancel

cmd-start = Start using the bot
cmd-readings = Submit meter readings
cmd-balance = Balance and meter verification date
cmd-receipt = Monthly bill
cmd-inspector = Call an inspector
cmd-accident = Report an emergency
cmd-operator = Message an operator
cmd-accounts = My personal accounts
cmd-settings = Settings
cmd-help = What the bot can do
cmd-cancel = Cancel the current action

main-menu = Please choose what you would like to do using the buttons at the bottom of the screen.
cancelled = The action has been cancelled. How else can I help?
nothing-to-cancel = There is nothing to cancel right now.
error-generic = Sorry, something went wrong. Please try again in a few minutes.
error-outage-retrying = We cannot save your message right now: the service is temporarily unavailable. We will retry automatically as soon as it is back — there is no need to send it again.
stale-button = This button is no longer active. Please choose the action again.
hint-text-expected = Please reply with a text message.
unknown-input = Sorry, I didn't understand that. Please choose an action using the buttons at the bottom of the screen or type /help.
group-private-only = I can only work with personal accounts in private messages — please message me directly.
fallback-location = If this is an emergency, tap "🚨 Report an emergency": I will ask what happened and ask you to send the location there.
fallback-photo =
    You can attach a photo:
    • to meter readings — tap "📟 Submit readings" and send a picture of the meter when I ask for the reading;
    • to an emergency report — tap "🚨 Report an emergency".
help =
    What the bot can do:
    • 📟 Submit readings (/readings) — with a photo of the meter if you like, even without linking an account;
    • 💰 Balance (/balance) — amount owed or overpaid, charges by month and by service, a statement of account for the months you choose (in the chat or as a PDF by e-mail), payments, reading history, verification date;
    • 🔢 Meters (/meters) — verification, last reading and average use of each meter;
    • 🧾 Bill (/receipt) — a PDF for any month, also by e-mail, and the paper bill can be declined;
    • 👷 Call an inspector (/inspector) — a meter check, commissioning or sealing;
    • 🚨 Report an emergency (/accident) — with photos and the location;
    • 📋 My requests (/requests) — the status of your requests;
    • 🔎 Balance by account number (/debt) — without linking;
    • 🏠 My accounts (/accounts) — the account card, link, switch, unlink;
    • ⚙️ Settings (/settings) — language, e-mail, a phone for requests, consent to data processing.

    /cancel or "✖️ Cancel" stops any action.

## Words used in several places

yes = Yes
no = No
back = ← Back
cancel-button = ✖️ Cancel
hint-use-buttons = Please choose an option using the buttons below the message.
