## A reading passed outside the window: its charge enters the balance when the window opens

readings-charge-later = По текущим тарифам за { $month } будет начислено: вода { $water } ₽, водоотведение { $sewage } ₽, итого { $total } ₽. Сумма войдёт в баланс { $opens }.
