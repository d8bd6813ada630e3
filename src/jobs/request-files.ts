import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import { PhotoRejected, type PhotoStore } from '../bot/photos.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';

/** Where a request's files are kept: the path under the store, its type and size. */
export interface RequestFileStore {
  save(telegramFilePath: string): Promise<{ path: string; mime: string; size: number }>;
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * The meter photos' store (src/bot/photos.ts) as a request's file store: it checks the size and
 * the type (JPEG, PNG, WebP) and names the file; the type and size are read back from what it kept.
 * (To be replaced by src/files/store.ts, which answers all three itself.)
 */
export function photoFileStore(photos: PhotoStore, dir: string): RequestFileStore {
  return {
    async save(filePath) {
      const relative = await photos.save(filePath);
      const { size } = await stat(path.join(dir, relative));
      return { path: relative, mime: MIME[path.extname(relative).slice(1)] ?? 'application/octet-stream', size };
    },
  };
}

/**
 * `request.files`: each photo and document of a request not yet copied is fetched from Telegram
 * (by its file_id) into the file store, so it is kept beyond Telegram and seen on any instance.
 * A file the store refuses (too big, not an image) stays by its file_id only; anything else is retried.
 */
export function requestFilesJob(deps: { api: Api; billing: Billing; files: RequestFileStore; log: Logger }): JobHandler<'request.files'> {
  return async (p) => {
    const pending = await deps.billing.requests.pendingAttachments({ requestId: p.requestId });
    if (!pending.ok) throw new Error(`request files: ${pending.error.code}`);
    for (const a of pending.value) {
      const file = await deps.api.getFile(a.telegramFileId);
      if (!file.file_path) throw new Error('request files: Telegram gave no file path');
      let stored: Awaited<ReturnType<RequestFileStore['save']>>;
      try {
        stored = await deps.files.save(file.file_path);
      } catch (err) {
        if (!(err instanceof PhotoRejected)) throw err;
        deps.log.warn({ requestId: p.requestId, attachmentId: a.attachmentId, reason: err.reason }, 'request files: not kept by the store');
        continue;
      }
      const done = await deps.billing.requests.attachmentStored({ attachmentId: a.attachmentId, ...stored });
      if (!done.ok) throw new Error(`request files: ${done.error.code}`);
    }
  };
}
