## Too many failed checks of the account's details (src/bot/limits.ts): said before the first question

lockout =
    Too many unsuccessful attempts. You can try again on { $date } after { $time }.
    { $phones ->
        [none] If your details are correct, please contact the customer service office.
       *[other] If your details are correct, please call the customer service office: { $phones }.
    }
lockout-branch-phone = { $branch } — { $phones }
