import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viaTelegram, type Billing } from '../src/billing/index.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { noticeJob } from '../src/jobs/notice.ts';
import type { JobName, JobPayloads } from '../src/jobs/queues.ts';
import { requestsSweepJob } from '../src/jobs/requests-sweep.ts';
import { createLogger } from '../src/logger.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { residentOfAlla } from './support/desk.ts';
import { ApiRecorder } from './support/telegram.ts';

const log = createLogger('silent');
const HEADER = 'branch;external_id;kind;status;settlement;streets;latitude;longitude;radius_km;reason;starts_at;ends_at';
const ALLA = 84_001;

let db: TestDatabase;
let billing: Billing;
let dir: string;
const rec = new ApiRecorder();
let sendNotice: ReturnType<typeof noticeJob>;

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling());
  dir = await mkdtemp(path.join(os.tmpdir(), 'outages-'));
  await residentOfAlla(billing, ALLA);
  sendNotice = noticeJob({ api: new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: rec.fetch }), billing, translator: createTranslator(), log });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

async function load(...rows: string[]) {
  const file = path.join(dir, 'outages.csv');
  await writeFile(file, `${[HEADER, ...rows].join('\n')}\n`);
  return importFiles(db.orm, [file]);
}
/** The sweep as the scheduler runs it: the notices it queues are sent at once. */
async function sweep() {
  const queued: number[] = [];
  const jobs = {
    send: async <N extends JobName>(name: N, payload: JobPayloads[N]) => {
      if (name === 'notice') queued.push((payload as JobPayloads['notice']).noticeId);
    },
  };
  await requestsSweepJob({ billing, jobs, log })({}, { retried: false, jobId: 'sweep' });
  for (const noticeId of new Set(queued)) await sendNotice({ noticeId }, { retried: false, jobId: String(noticeId) });
}
const toAlla = () => rec.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === ALLA).map((c) => c.payload.text as string);

describe('outages from the import file', () => {
  it('loads by external id, once; the sweep tells the residents; a changed end is an update; a row marked resolved says «вода есть»', async () => {
    const row = (end: string, status = '') => `alpha;GIS-1;emergency;${status};г. Ессентуки;ул. Ермакова: 7, 9;;;;порыв водовода;2026-11-22 11:00;${end}`;
    const first = await load(row('2026-11-22 18:00'));
    expect(first.errors).toEqual([]);
    expect(first.counts.outage).toEqual({ read: 1, inserted: 1, updated: 0, unchanged: 0 });
    expect((await load(row('2026-11-22 18:00'))).counts.outage).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 1 });
    await sweep();
    await sweep();
    expect(toAlla()).toEqual([
      'Аварийное отключение воды по адресу ул. Ермакова, 7: с 22.11.2026 11:00, ориентировочно до 22.11.2026 18:00.\nПричина: порыв водовода.\nСпециалисты уже работают. Сообщать об этой аварии не нужно.',
    ]);

    expect((await load(row('2026-11-22 20:00'))).counts.outage).toMatchObject({ updated: 1 });
    await sweep();
    expect(toAlla().at(-1)).toBe(
      'Изменился срок отключения воды по адресу ул. Ермакова, 7: воду дадут ориентировочно к 22.11.2026 20:00 (ранее сообщали — к 22.11.2026 18:00).\nПричина: порыв водовода.',
    );
    const known = await billing.outages.known({ actor: viaTelegram(ALLA) });
    expect(known.ok && known.value.outages.map((o) => o.expectedEndAt)).toEqual(['2026-11-22T17:00:00.000Z']);

    expect((await load(row('2026-11-22 20:00', 'resolved'))).counts.outage).toMatchObject({ updated: 1 });
    await sweep();
    expect(toAlla().at(-1)).toBe('Вода есть: подача воды по адресу ул. Ермакова, 7 восстановлена. Спасибо за терпение.');
    // Closed: the same file again changes nothing, and nobody hears more.
    expect((await load(row('2026-11-22 20:00', 'resolved'))).counts.outage).toMatchObject({ updated: 0, unchanged: 1 });
    await sweep();
    expect(toAlla()).toHaveLength(3);
  });

  it('a bad row is reported by line and field, and nothing is loaded', async () => {
    const report = await load(
      'alpha;GIS-2;planned;;г. Ессентуки;ул. Несуществующая: 1;;;;промывка;2026-11-25 09:00;2026-11-25 17:00',
      'alpha;GIS-3;planned;;;;;;;промывка;2026-11-25 09:00;2026-11-25 08:00',
    );
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => `${path.basename(e.file)}:${e.line}: ${e.field}: ${e.reason}`)).toEqual([
      'outages.csv:3: ends_at: not after starts_at',
      'outages.csv:3: streets: an outage needs streets or a circle',
      'outages.csv:2: streets: no street ул. Несуществующая in г. Ессентуки of branch alpha',
    ]);
    expect(await db.orm.em.getConnection().execute(`select count(*)::int n from outage where external_id in ('GIS-2', 'GIS-3')`)).toEqual([{ n: 0 }]);
  });
});
