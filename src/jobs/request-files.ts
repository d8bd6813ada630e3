import type { Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import { FileRejected, type FileStore } from '../files/store.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';

/**
 * `request.files`: each photo and document of a request not yet copied is fetched from Telegram
 * (by its file_id) into the file store, so it is kept beyond Telegram and seen on any instance.
 * Photos must be images; the meter's passport and certificate may also be PDF. A file the store
 * refuses (too big, another type) stays by its file_id only; anything else is retried.
 */
export function requestFilesJob(deps: {
  api: Api;
  billing: Billing;
  files: FileStore;
  /** The download address of a file Telegram holds (it carries the bot's token: never logged). */
  fileUrl: (filePath: string) => { url: string };
  log: Logger;
}): JobHandler<'request.files'> {
  return async (p) => {
    const pending = await deps.billing.requests.pendingAttachments({ requestId: p.requestId });
    if (!pending.ok) throw new Error(`request files: ${pending.error.code}`);
    for (const a of pending.value) {
      const file = await deps.api.getFile(a.telegramFileId);
      if (!file.file_path) throw new Error('request files: Telegram gave no file path');
      let stored: Awaited<ReturnType<FileStore['save']>>;
      try {
        stored = await deps.files.save(deps.fileUrl(file.file_path), { kind: a.role === 'photo' ? 'image' : 'image_or_pdf' });
      } catch (err) {
        if (!(err instanceof FileRejected)) throw err;
        deps.log.warn({ requestId: p.requestId, attachmentId: a.attachmentId, reason: err.reason }, 'request files: not kept by the store');
        continue;
      }
      const done = await deps.billing.requests.attachmentStored({ attachmentId: a.attachmentId, ...stored });
      if (!done.ok) throw new Error(`request files: ${done.error.code}`);
    }
  };
}
