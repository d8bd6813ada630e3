## The account card (seed 000 §5 «Общая информация», seed 004)

accounts-card = 📄 Account details { $number }
account-card-title = Personal account { $number }
account-card-owner = Account holder: { $owner }
account-card-address = Address: { $address }
account-card-residents = Residents: { $residents }
account-card-area = Area: { $area } m²
account-card-phone = Phone: { $phone ->
    [none] not on file
   *[other] { $phone }
}
account-card-email = E-mail: { $email ->
    [none] not on file
   *[other] { $email }
}
account-card-norms = Consumption norms per person per month:
account-card-norm = • { $service }: { $volume } m³
account-card-organisation = Your water utility: { $name }
account-card-org-address = Address: { $address }
account-card-org-hours = Opening hours: { $hours }
account-card-org-phones = Phones: { $phones }
account-card-org-dispatcher = Emergency service, 24 hours: { $phone }
account-card-org-email = E-mail: { $email }
account-card-own-phone = Your phone in the bot: { $phone }
