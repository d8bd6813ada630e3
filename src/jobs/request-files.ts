import { GrammyError, type Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import { FileRejected, type FileStore } from '../files/store.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';
import type { Jobs } from './queues.ts';

/** Telegram gives bots files up to 20 MB; getFile of a larger one answers 400 «file is too big». */
const tooBigForBots = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /file is too big/i.test(err.description);

/**
 * `request.files`: each photo and document of a request not yet copied is fetched from Telegram
 * (by its file_id) into the file store, so it is kept beyond Telegram and seen on any instance.
 * Photos must be images; the meter's passport and certificate may also be PDF. A file the store
 * refuses (too big, another type), or one Telegram will not give a bot (over 20 MB), is marked
 * refused with the reason: it stays by its file_id only and is not fetched again. Each attachment
 * is tried on its own; if any failed otherwise, the job fails after the others, to be retried.
 * A document is shown to the operators only once the store has kept it (its declared type is the
 * sender's word): when one is kept, the card job is queued again to post it as a reply to the card.
 */
export function requestFilesJob(deps: {
  api: Api;
  billing: Billing;
  jobs: Jobs;
  files: FileStore;
  /** The download address of a file Telegram holds (it carries the bot's token: never logged). */
  fileUrl: (filePath: string) => { url: string };
  log: Logger;
}): JobHandler<'request.files'> {
  const refuse = async (attachmentId: number, reason: 'too_big' | 'wrong_type') => {
    const done = await deps.billing.requests.attachmentRefused({ attachmentId, reason });
    if (!done.ok) throw new Error(`request files: attachmentRefused ${done.error.code}`);
  };

  return async (p) => {
    const pending = await deps.billing.requests.pendingAttachments({ requestId: p.requestId });
    if (!pending.ok) throw new Error(`request files: ${pending.error.code}`);
    if (!pending.value.length) return;
    const all = await deps.billing.requests.cardAttachments({ requestId: p.requestId });
    if (!all.ok) throw new Error(`request files: cardAttachments ${all.error.code}`);
    const documents = new Set(all.value.filter((a) => a.media === 'document').map((a) => a.attachmentId));
    let failed = 0;
    let storedDocument = false;
    for (const a of pending.value) {
      try {
        let filePath: string | undefined;
        try {
          filePath = (await deps.api.getFile(a.telegramFileId)).file_path;
        } catch (err) {
          if (!tooBigForBots(err)) throw err;
          deps.log.warn({ requestId: p.requestId, attachmentId: a.attachmentId, reason: 'too_big' }, 'request files: Telegram gives no file over 20 MB');
          await refuse(a.attachmentId, 'too_big');
          continue;
        }
        if (!filePath) throw new Error('request files: Telegram gave no file path');
        let stored: Awaited<ReturnType<FileStore['save']>>;
        try {
          stored = await deps.files.save(deps.fileUrl(filePath), { kind: a.role === 'photo' ? 'image' : 'image_or_pdf' });
        } catch (err) {
          if (!(err instanceof FileRejected) || err.reason === 'bad_path') throw err;
          deps.log.warn({ requestId: p.requestId, attachmentId: a.attachmentId, reason: err.reason }, 'request files: not kept by the store');
          await refuse(a.attachmentId, err.reason);
          continue;
        }
        const done = await deps.billing.requests.attachmentStored({ attachmentId: a.attachmentId, ...stored });
        if (!done.ok) throw new Error(`request files: ${done.error.code}`);
        if (documents.has(a.attachmentId)) storedDocument = true;
      } catch (err) {
        failed++;
        deps.log.warn({ err, requestId: p.requestId, attachmentId: a.attachmentId }, 'request files: an attachment could not be copied; to be retried');
      }
    }
    if (storedDocument) await deps.jobs.send('request.card', { requestId: p.requestId });
    if (failed) throw new Error(`request files: ${failed} of ${pending.value.length} attachments not copied`);
  };
}
