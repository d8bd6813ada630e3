## The debt by an account's number (seed 000 §10), reachable with and without consent

cmd-debt = Долг по номеру лицевого счёта
balance-other-number = 🔎 Долг по другому номеру счёта
