// The reading half of an import, on its own thread: parsing and checking millions of rows is
// CPU work, and here it runs on the second core while the main thread feeds PostgreSQL.
import { parentPort, workerData } from 'node:worker_threads';
import { parseSources } from './parse.ts';
import type { Source } from './sources.ts';

const { sources, mine, batchSize } = workerData as { sources: Source[]; mine: number[]; batchSize: number };
const port = parentPort!;

// At most two batches ahead of the writer: enough to keep it busy, and memory stays bounded.
let ahead = 0;
let resume: (() => void) | null = null;
port.on('message', (m: { type: 'credit' }) => {
  if (m.type === 'credit') {
    ahead--;
    resume?.();
    resume = null;
  }
});

await parseSources(sources, mine, batchSize, async (batch) => {
  // The staged rows' bytes are moved to the writer, not copied.
  port.postMessage(
    { type: 'batch', batch },
    Object.values(batch.staged).map((c) => c.bytes.buffer as ArrayBuffer),
  );
  ahead++;
  while (ahead >= 2) await new Promise<void>((r) => (resume = r));
});
port.postMessage({ type: 'done' });
port.close();
