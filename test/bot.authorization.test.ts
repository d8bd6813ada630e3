import { describe, expect, it } from 'vitest';
import { viaTelegram } from '../src/billing/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import { botWorld } from './support/bot-world.ts';

const world = botWorld(8_800_000);
const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';

const ALLA = { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };
const SEMENOV = { number: '002901800602303', house: '7', flat: '31', surname: 'Семёнов' };

async function idsOf(number: string) {
  const rows = await world.db.orm.em
    .fork()
    .getConnection()
    .execute<{ account: number; meter: number }[]>(
      'select a.id as account, m.id as meter from account a join meter m on m.account_id = a.id where a.long_number = ? order by m.id limit 1',
      [number],
    );
  return { accountId: Number(rows[0]!.account), meterId: Number(rows[0]!.meter) };
}

describe("buttons forged with another resident's account", () => {
  it("every account button, packed with a stranger's account and month, is refused and shows nothing of it", async () => {
    const owner = await world.newResident().agreeAndLink(ALLA.number, ALLA.house, ALLA.flat, ALLA.surname);
    const intruder = await world.newResident().agreeAndLink(SEMENOV.number, SEMENOV.house, SEMENOV.flat, SEMENOV.surname);
    const { accountId, meterId } = await idsOf(ALLA.number);
    const month = '2026-10';
    const forged = [
      buttons.balance.statements.pack({ accountId }),
      buttons.balance.statementsBefore.pack({ accountId, before: month }),
      buttons.balance.payments.pack({ accountId, offset: 0 }),
      buttons.history.meters.pack({ accountId }),
      buttons.history.page.pack({ accountId, meterId, offset: 0 }),
      buttons.meters.show.pack({ accountId }),
      buttons.meters.pass.pack({ accountId, meterId }),
      buttons.receipt.month.pack({ accountId, month }),
      buttons.receipt.months.pack({ accountId }),
      buttons.receipt.monthsBefore.pack({ accountId, before: month }),
      buttons.receipt.email.pack({ accountId, month }),
      buttons.receipt.subscription.pack({ mode: 'on', accountId }),
      buttons.receipt.subscription.pack({ mode: 'off', accountId }),
      buttons.accounts.use.pack({ accountId }),
      buttons.accounts.card.pack({ accountId }),
      buttons.accounts.unlink.pack({ accountId }),
      buttons.accounts.unlinkConfirmed.pack({ accountId }),
      buttons.email.subscription.pack({ mode: 'sub', accountId }),
      buttons.email.subscription.pack({ mode: 'unsub', accountId }),
      buttons.reminders.readings.pack({ accountId }),
      buttons.reminders.inspector.pack({ accountId, meterId }),
      buttons.reminders.off.pack({ kind: 'reading_window', accountId }),
      buttons.reminders.off.pack({ kind: 'verification', accountId }),
      buttons.reminders.toggle.pack({ kind: 'verification', on: 'off', accountId }),
    ];
    for (const data of forged) {
      const calls = await intruder.press(data);
      expect(intruder.toasts(calls), data).toEqual([STALE]);
      const said = JSON.stringify(calls.filter((c) => c.method !== 'answerCallbackQuery'));
      for (const secret of [ALLA.number, 'Алла', 'кв. 30']) expect(said, `${data} leaked ${secret}`).not.toContain(secret);
      expect(
        calls.some((c) => c.method === 'sendDocument'),
        data,
      ).toBe(false);
    }
    // Nothing of the owner's changed: still linked, still active, not subscribed by anyone.
    const view = await world.kit.billing.residents.get({ actor: viaTelegram(owner.id) });
    expect(view.ok && view.value.accounts.map((a) => [a.longNumber, a.active])).toEqual([[ALLA.number, true]]);
    const intruderView = await world.kit.billing.residents.get({ actor: viaTelegram(intruder.id) });
    expect(intruderView.ok && intruderView.value.accounts.map((a) => a.longNumber)).toEqual([SEMENOV.number]);
    const subscriptions = await world.db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*)::int as n from receipt_subscription');
    expect(Number(subscriptions[0]!.n)).toBe(0);
    const optOuts = await world.db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*)::int as n from reminder_opt_out');
    expect(Number(optOuts[0]!.n)).toBe(0);
  });

  it("a receipt button for a month of one's own account that has no statement is a stale button, and no job is handed over", async () => {
    const r = await world.newResident().agreeAndLink(ALLA.number, ALLA.house, ALLA.flat, ALLA.surname);
    const { accountId } = await idsOf(ALLA.number);
    const calls = await r.press(buttons.receipt.month.pack({ accountId, month: '2020-01' }));
    expect(r.toasts(calls)).toEqual([STALE]);
    expect(calls.some((c) => c.method === 'sendDocument' || c.method === 'sendChatAction')).toBe(false);
  });

  it('data out of shape (a letter for a number, an extra field) is answered as a stale button', async () => {
    const r = await world.newResident().agreeAndLink(ALLA.number, ALLA.house, ALLA.flat, ALLA.surname);
    for (const data of [
      'st:abc',
      'st:1:2026-13',
      'pay:1:0:0',
      'rh:1:x:0',
      'rc:1:2026-1',
      'rcp:1:2026-13',
      'rcp:x',
      'acc:use:-1',
      'acc:card:x',
      'rs:maybe:1',
      "st:1' or 1=1",
    ]) {
      const calls = await r.press(data);
      expect(r.toasts(calls), data).toEqual([STALE]);
    }
  });
});
