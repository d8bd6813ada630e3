## The web pages after signing in (the personal account): navigation, accounts, money, meters, readings

web-signout-everywhere = Sign out on all devices
