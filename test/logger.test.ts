import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeUrl } from '../src/logger.ts';

describe('logs', () => {
  it('never carry names, phones, e-mails or secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      {
        account: { ownerFullName: 'МИХАЙЛОВА АЛЛА МИХАЙЛОВНА', phone: '+79052145780', email: 'a@example.com', longNumber: '002901800602302' },
        token: '123:ABC',
      },
      'linked',
    );
    const out = lines.join('');
    expect(out).toContain('linked');
    expect(out).not.toContain('МИХАЙЛОВА');
    expect(out).not.toContain('+79052145780');
    expect(out).not.toContain('a@example.com');
    expect(out).not.toContain('123:ABC');
  });

  it('prints connection URLs without passwords', () => {
    expect(safeUrl('postgresql://app:s3cret@db:5432/vodokanal')).not.toContain('s3cret');
  });
});
