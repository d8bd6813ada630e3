## Linking an account (seeds 001–003)

link-start = How would you like to find your personal account?
link-by-address = 🏠 By address
link-by-number = 🔢 By account number
link-ask-branch = Please choose your water utility:
link-ask-street = Please type the street name as it appears on your bill (in Russian), for example: Ермакова
link-street-not-found = We couldn't find that street. Please check the spelling or type part of the name.
link-street-pick = Please choose your street:
link-street-other = A different street
link-ask-house = House number as it appears on your bill, for example: 7, 12А or 12 к2
link-ask-flat = Apartment number. If this is a private house, tap the button below.
link-private-house = 🏡 Private house, no apartment
link-ask-surname = The surname of the personal account holder, exactly as it appears on your bill (in Cyrillic):
link-ask-pin = This water utility asks for the PIN code of your online account — you can get it from the customer service office.
link-ask-number = Personal account number: the 15 digits from your bill or the short number.
link-bad-number = A personal account number contains digits only: 15 digits or a short number. Please try again.
link-ask-branch-for-short = A short number is only valid within one water utility. Please choose your water utility:
link-too-long = That answer is too long. Please make it shorter.
link-not-found = We couldn't find a personal account with these details. Please check the address, number and surname and try again.
link-done =
    Personal account { $number } has been linked.
    Address: { $address }
    Account holder: { $owner }
link-already = This personal account is already linked: { $number }. We've made it your main account.
link-try-again = Try again

address-line = { $settlement }, { $street }, house { $house }{ $flat ->
    [none] {""}
   *[other] , { $flatPrefix ->
        [none] apt.
       *[other] { $flatPrefix }
    } { $flat }
}

## My accounts

accounts-none = You don't have any personal accounts linked yet.
accounts-link = ➕ Link a personal account
accounts-list = Your personal accounts:
accounts-item = { $active ->
    [yes] ✅
   *[no] ▫️
} { $number } — { $address }
accounts-make-active = Set as main: { $number }
accounts-unlink = Unlink { $number }
accounts-switched = Your main personal account is now { $number }.
accounts-unlink-confirm = Unlink personal account { $number } ({ $address })? Your account details at the water utility will not change, and you can link it again at any time.
accounts-unlink-yes = Yes, unlink
accounts-unlinked = Personal account { $number } has been unlinked.
accounts-need-link = Please link a personal account first.
