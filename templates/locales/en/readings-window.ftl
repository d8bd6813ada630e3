## A reading passed outside the window: its charge enters the balance when the window opens

readings-charge-later = At current tariffs { $month } will be charged: water { $water } ₽, sewerage { $sewage } ₽, total { $total } ₽. The amount enters the balance on { $opens }.
