import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: './data' });
    expect(config.redisUrl).toBeUndefined();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
  });

  it('the outbox’s rate: 25 messages a second unless set; above Telegram’s bulk limit is refused', () => {
    expect(loadConfig({}).noticesPerSecond).toBe(25);
    expect(loadConfig({ NOTICES_PER_SECOND: '10' }).noticesPerSecond).toBe(10);
    expect(() => loadConfig({ NOTICES_PER_SECOND: '50' })).toThrow(/NOTICES_PER_SECOND/);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://app:pw@db:5432/vodokanal', REDIS_URL: 'redis://redis:6379' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://app:pw@db:5432/vodokanal' });
    expect(config.redisUrl).toBe('redis://redis:6379');
  });

  it('mails through SMTP_URL, or into DATA_DIR/outbox without it; links point at PUBLIC_URL or HOST:PORT', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: 'no-reply@vodokanal.local', outboxDir: './data/outbox' });
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:3000');
    const c = loadConfig({ SMTP_URL: 'smtp://u:p@mail:587', MAIL_FROM: 'lk@vodokanal.ru', PUBLIC_URL: 'https://lk.vodokanal.ru/', DATA_DIR: '/srv/data/' });
    expect(c.mail).toEqual({ smtpUrl: 'smtp://u:p@mail:587', from: 'lk@vodokanal.ru', outboxDir: '/srv/data/outbox' });
    expect(c.publicUrl).toBe('https://lk.vodokanal.ru');
    expect(() => loadConfig({ SMTP_URL: 'mail:25' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
    // The password of a bad SMTP_URL is not repeated in the error.
    expect(() => loadConfig({ SMTP_URL: 'http://u:secret@mail' })).toThrow(/^(?!.*secret)/);
  });

  it('keeps what residents send in FILES_DIR (default DATA_DIR/files), PHOTO_DIR being its former name', () => {
    expect(loadConfig({}).filesDir).toBe('./data/files');
    expect(loadConfig({ DATA_DIR: '/srv/data/' }).filesDir).toBe('/srv/data/files');
    expect(loadConfig({ FILES_DIR: '/srv/files' }).filesDir).toBe('/srv/files');
    expect(loadConfig({ PHOTO_DIR: '/srv/photos' }).filesDir).toBe('/srv/photos');
    expect(loadConfig({ FILES_DIR: '/srv/files', PHOTO_DIR: '/srv/photos' }).filesDir).toBe('/srv/files');
  });

  it('prefixes the Redis keys per deployment (REDIS_KEY_PREFIX) and bounds the shutdown (SHUTDOWN_TIMEOUT_SECONDS)', () => {
    expect(loadConfig({}).redisKeyPrefix).toBe('vodokanal:');
    expect(loadConfig({ REDIS_KEY_PREFIX: 'test-bot:' }).redisKeyPrefix).toBe('test-bot:');
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'a b' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(loadConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_SECONDS: '3' }).shutdownTimeoutMs).toBe(3000);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ SEED_DEMO: 'maybe' });
    } catch (e) {
      expect((e as ConfigError).variable).toBe('SEED_DEMO');
      expect((e as Error).message.split('\n')).toHaveLength(1);
    }
  });
});
