## Too many failed checks of the account's details (src/bot/limits.ts): said before the first question

lockout =
    Слишком много неудачных попыток. Попробовать снова можно { $date } после { $time }.
    { $phones ->
        [none] Если данные верные, обратитесь в абонентский отдел.
       *[other] Если данные верные, позвоните в абонентский отдел: { $phones }.
    }
lockout-branch-phone = { $branch } — { $phones }
