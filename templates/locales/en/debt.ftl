## The debt by an account's number (seed 000 §10), reachable with and without consent

cmd-debt = Balance by account number
balance-other-number = 🔎 Balance of another account number
