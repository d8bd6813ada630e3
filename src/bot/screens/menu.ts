import { Keyboard } from 'grammy';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** The persistent main menu. Without consent only what needs no personal data is offered. */
export function mainMenu(t: T, consented: boolean): Keyboard {
  const k = consented
    ? new Keyboard()
        .text(t('menu-readings'))
        .text(t('menu-balance'))
        .row()
        .text(t('menu-receipt'))
        .text(t('menu-inspector'))
        .row()
        .text(t('menu-accident'))
        .text(t('menu-operator'))
        .row()
        .text(t('menu-accounts'))
        .text(t('menu-requests'))
        .text(t('menu-settings'))
    : new Keyboard().text(t('menu-public-balance')).text(t('menu-readings')).row().text(t('menu-accident')).text(t('menu-operator'));
  return k.resized().persistent();
}

/** Shown while a conversation waits for typed input. */
export function cancelKeyboard(t: T): Keyboard {
  return new Keyboard().text(t('menu-cancel')).resized().persistent();
}

/** The main menu while the resident talks to the operators: the same buttons, and «Завершить разговор». */
export function chatMenu(t: T, consented: boolean): Keyboard {
  return mainMenu(t, consented).row().text(t('menu-chat-end'));
}
