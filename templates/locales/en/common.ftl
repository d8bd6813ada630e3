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
error-generic = Sorry, something went wrong. Please try again in a minute — the information you entered has not been lost.
stale-button = This button is no longer active. Please choose the action again.
hint-text-expected = Please reply with a text message.
unknown-input = Sorry, I didn't understand that. Please choose an action using the buttons at the bottom of the screen or type /help.
group-private-only = I can only work with personal accounts in private messages — please message me directly.
feature-not-yet = This feature is not yet available in the bot. In the meantime, please contact the customer service office{ $phones ->
    [none] .
   *[other] : { $phones }.
}
help =
    What the bot can do:
    • 💰 Balance — the amount owed or overpaid, monthly charges, payment history and the next meter verification date;
    • 🏠 My accounts — link a personal account, switch between accounts, unlink an account;
    • 🔎 Balance by account number (/debt, and a button on the balance screen) — check the amount owed and the meter verification date by the 15-digit number, without linking the account;
    • ⚙️ Settings — language, consent to the processing of personal data.

    /cancel or "✖️ Cancel" stops any action.

## Words used in several places

yes = Yes
no = No
back = ← Back
cancel-button = ✖️ Cancel
hint-use-buttons = Please choose an option using the buttons below the message.
