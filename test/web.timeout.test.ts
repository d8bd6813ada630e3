import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling } from '../src/billing/index.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { buildWeb } from '../src/web/app.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db.drop());

describe('a slow client', () => {
  it('that sends its headers and part of the body, then nothing, is cut off; security headers are on every route', async () => {
    const web = await buildWeb({
      billing: createBilling({ orm: db.orm }),
      translator: createTranslator(),
      log: createLogger('silent'),
      readiness: { database: () => 'up' },
      timeouts: { requestMs: 30_000, idleMs: 400 },
    });
    await web.listen({ host: '127.0.0.1', port: 0 });
    try {
      const health = await web.inject({ method: 'GET', url: '/healthz' });
      expect(health.headers['x-content-type-options']).toBe('nosniff');
      expect(health.headers['content-security-policy']).toContain("default-src 'self'");
      expect(health.headers['x-frame-options']).toBeDefined();
      const { port } = web.server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (c: Buffer) => {
        answer += c.toString();
      });
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write('POST /debt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nnumber=0');
      const t0 = Date.now();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      const took = Date.now() - t0;
      socket.destroy();
      // Cut off by the server (not by the test's 5 s), with no answer to a request never finished.
      expect(took).toBeLessThan(5_000);
      expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
    } finally {
      await web.close();
    }
  });
});
