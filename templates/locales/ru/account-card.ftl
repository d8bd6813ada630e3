## The account card (seed 000 §5 «Общая информация», seed 004)

accounts-card = 📄 Карточка счёта { $number }
account-card-title = Лицевой счёт { $number }
account-card-owner = Владелец: { $owner }
account-card-address = Адрес: { $address }
account-card-residents = Проживает: { $residents } чел.
account-card-area = Площадь: { $area } м²
account-card-phone = Телефон: { $phone ->
    [none] не указан
   *[other] { $phone }
}
account-card-email = Эл. почта: { $email ->
    [none] не указана
   *[other] { $email }
}
account-card-norms = Нормативы потребления на человека в месяц:
account-card-norm = • { $service }: { $volume } м³
account-card-organisation = Вас обслуживает { $name }
account-card-org-address = Адрес: { $address }
account-card-org-hours = Часы работы: { $hours }
account-card-org-phones = Телефоны: { $phones }
account-card-org-dispatcher = Аварийная служба, круглосуточно: { $phone }
account-card-org-email = Эл. почта: { $email }
account-card-own-phone = Ваш телефон в боте: { $phone }
