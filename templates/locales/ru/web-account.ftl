## The web pages after signing in («Личный кабинет»): navigation, accounts, money, meters, readings

web-signout-everywhere = Выйти на всех устройствах
