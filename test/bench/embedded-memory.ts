// npm run bench:embedded-memory [-- --idle 20 --settle 120 --rounds 1]
// The embedded default's memory: `npm start` as a resident would run it (no DATABASE_URL, no
// REDIS_URL, no BOT_TOKEN) on a fresh DATA_DIR (a temporary folder), then again on the same folder.
// For each start: the resident memory (VmRSS from /proc/<pid>/status) of the app's process (the
// node that runs dist/main.mjs, the build of src/main.ts: PGlite and the PDF worker threads live in it) when the demo data is loaded (first start only), when /readyz answers 200, after
// --idle seconds and after --settle seconds (V8 gives back the start-up's garbage only some tens of
// seconds after it goes quiet); its peak (VmHWM); and the whole process tree `npm start` makes (npm,
// sh, the app), as the sum of VmRSS and the sum of PSS (shared pages
// counted once), when settled. On the next start, after that, one PDF as a resident asks for it on the
// web pages (the last month's charges of the demo account): how long the first and a second took
// and the RSS after them (the PDF threads start with the first PDF asked for).
// Beside it, interleaved in the same round, the peers (embedded-memory-peer.ts, built as the app is
// and run on plain node): node and nothing else; node with the packages dist/main.mjs imports,
// loaded but not started; PGlite alone, as src/db/embedded.ts starts it, on the same data with the
// same settings, warmed by the queries the start-up runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
// @ts-expect-error: plain JavaScript (it runs before anything is built), without types
import { bundle } from '../../src/cli/build.mjs';
import { postChargesForm } from '../support/charges-form.ts';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const IDLE_S = arg('idle', 20);
const SETTLE_S = Math.max(IDLE_S, arg('settle', 120));
const ROUNDS = arg('rounds', 1);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number | null) => (kb === null ? '—' : `${Math.round(kb / 1024)}`);

// ---- /proc -------------------------------------------------------------------------------------

async function procTable() {
  const table = new Map<number, { ppid: number; cmd: string }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      table.set(Number(name), { ppid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

async function tree(root: number) {
  const table = await procTable();
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, p] of table) if (p.ppid === out[i]) out.push(pid);
  return out.filter((pid) => table.has(pid)).map((pid) => ({ pid, cmd: table.get(pid)!.cmd }));
}

async function statusKb(pid: number, field: 'VmRSS' | 'VmHWM') {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function pssKb(pid: number) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function treeKb(root: number) {
  let rss = 0;
  let pss = 0;
  const procs = await tree(root);
  for (const p of procs) {
    rss += (await statusKb(p.pid, 'VmRSS')) ?? 0;
    pss += await pssKb(p.pid);
  }
  return { rss, pss, count: procs.length };
}

// ---- one child: the product or a peer ----------------------------------------------------------

interface Run {
  child: ChildProcess;
  lines: string[];
  exited: Promise<void>;
  gone: boolean;
}

function launch(command: string, args: string[], env: Record<string, string>): Run {
  // Its own process group, as a terminal gives a command: stopped the way Ctrl-C stops it.
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { child, lines: [], exited: Promise.resolve(), gone: false };
  let rest = '';
  const take = (c: Buffer) => {
    const parts = (rest + c.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    run.lines.push(...parts);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  run.exited = new Promise((resolve) =>
    child.once('exit', () => {
      run.gone = true;
      resolve();
    }),
  );
  return run;
}

async function waitLine(run: Run, test: (line: string) => boolean, what: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = run.lines.find(test);
    if (line) return line;
    if (run.gone) throw new Error(`${what}: the process exited: ${run.lines.slice(-20).join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${what}: not seen after ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function stop(run: Run) {
  const pids = (await tree(run.child.pid!)).map((p) => p.pid);
  if (!run.gone) process.kill(-run.child.pid!, 'SIGINT');
  const late = setTimeout(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 20_000);
  await run.exited;
  // npm leaves before its children: wait until the whole tree is gone (the data folder is reused).
  while (pids.some(existsPid)) await sleep(100);
  clearTimeout(late);
}

const existsPid = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The process that runs dist/main.mjs (the build of src/main.ts): the deepest in the tree whose command names it. */
async function appPid(root: number) {
  const procs = (await tree(root)).filter((p) => p.cmd.includes('dist/main.mjs'));
  return procs.at(-1)?.pid ?? null;
}

interface Figures {
  seeded: number | null;
  ready: number | null;
  idle: number | null;
  settled: number | null;
  peak: number | null;
  treeSettled: { rss: number; pss: number; count: number };
  treePeak: number;
  readyS: number;
  pdf?: { first: number | string; second: number | string; rss: number | null };
}

/** The last month's charges as a PDF, the way a browser gets it; how long it took. */
async function chargesPdf(http: string) {
  const t0 = performance.now();
  const { status, body } = await postChargesForm(http);
  if (status !== 200 || body.subarray(0, 5).toString() !== '%PDF-') throw new Error(`charges PDF: ${status} ${body.subarray(0, 200).toString()}`);
  return performance.now() - t0;
}

async function product(dataDir: string, fresh: boolean): Promise<Figures> {
  const t0 = performance.now();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
  const run = launch('npm', ['start'], env);
  let treePeak = 0;
  const sampler = setInterval(() => {
    void treeKb(run.child.pid!).then((t) => (treePeak = Math.max(treePeak, t.rss)));
  }, 500);
  try {
    let seeded: number | null = null;
    if (fresh) {
      await waitLine(run, (l) => l.includes('demo data loaded'), 'demo data');
      seeded = await statusKb((await appPid(run.child.pid!))!, 'VmRSS');
    }
    const running = await waitLine(run, (l) => l.includes('vodokanal is running'), 'start-up');
    const http = (JSON.parse(running) as { http: string }).http;
    for (;;) {
      const res = await fetch(`${http}/readyz`).catch(() => null);
      if (res?.status === 200) break;
      await sleep(100);
    }
    const readyS = (performance.now() - t0) / 1000;
    const pid = (await appPid(run.child.pid!))!;
    const ready = await statusKb(pid, 'VmRSS');
    await sleep(IDLE_S * 1000);
    const idle = await statusKb(pid, 'VmRSS');
    await sleep((SETTLE_S - IDLE_S) * 1000);
    const settled = await statusKb(pid, 'VmRSS');
    const peak = await statusKb(pid, 'VmHWM');
    const treeSettled = await treeKb(run.child.pid!);
    let pdf: Figures['pdf'];
    if (!fresh) {
      const timed = async () =>
        chargesPdf(http).catch((err: unknown) => `failed (${err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err)})`);
      const first = await timed();
      const second = await timed();
      pdf = { first, second, rss: await statusKb(pid, 'VmRSS') };
    }
    const errors = run.lines.filter((l) => /"level":(50|60)/.test(l));
    if (errors.length) console.log(`  (${errors.length} error lines in the log, e.g. ${errors[0]!.slice(0, 300)})`);
    return { seeded, ready, idle, settled, peak, treeSettled, treePeak: Math.max(treePeak, treeSettled.rss), readyS, pdf };
  } finally {
    clearInterval(sampler);
    await stop(run);
  }
}

/** The peers, built as the app is (src/cli/build.mjs) and run on plain node as it is. */
const PEER = path.join(ROOT, 'dist/bench/embedded-memory-peer.mjs');

async function peerRun(kind: string, dataDir: string): Promise<Figures> {
  const t0 = performance.now();
  const run = launch(process.execPath, [PEER, kind, dataDir], {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
  });
  try {
    await waitLine(run, (l) => l === 'peer ready', `peer ${kind}`);
    const readyS = (performance.now() - t0) / 1000;
    const pid = run.child.pid!;
    const ready = await statusKb(pid, 'VmRSS');
    // A peer makes no garbage to give back: it is measured once, after --idle seconds.
    await sleep(IDLE_S * 1000);
    const idle = await statusKb(pid, 'VmRSS');
    const peak = await statusKb(pid, 'VmHWM');
    const treeSettled = await treeKb(pid);
    return { seeded: null, ready, idle, settled: null, peak, treeSettled, treePeak: treeSettled.rss, readyS };
  } finally {
    await stop(run);
  }
}

function row(name: string, f: Figures) {
  return [
    name.padEnd(44),
    mb(f.seeded).padStart(7),
    mb(f.ready).padStart(7),
    mb(f.idle).padStart(7),
    mb(f.settled).padStart(7),
    mb(f.peak).padStart(7),
    `${mb(f.treeSettled.rss)}/${mb(f.treeSettled.pss)} (${f.treeSettled.count})`.padStart(20),
    mb(f.treePeak).padStart(9),
    f.readyS.toFixed(1).padStart(7),
  ].join(' ');
}

async function main() {
  console.log(
    `embedded default's memory, MB (MiB) of resident memory; idle = ${IDLE_S} s and settled = ${SETTLE_S} s after /readyz first answered 200; ${os.availableParallelism()} cores`,
  );
  console.log(
    `${'run'.padEnd(44)} ${'seeded'.padStart(7)} ${'ready'.padStart(7)} ${'idle'.padStart(7)} ${'settled'.padStart(7)} ${'peak'.padStart(7)} ${'tree settled rss/pss'.padStart(20)} ${'tree peak'.padStart(9)} ${'ready s'.padStart(7)}`,
  );
  // The app itself is built by each `npm start`, which runs before the peers that read dist/main.mjs.
  await bundle({ 'embedded-memory-peer': 'test/bench/embedded-memory-peer.ts' }, path.join(ROOT, 'dist/bench'));
  for (let round = 1; round <= ROUNDS; round++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vodokanal-mem-'));
    const copy = await mkdtemp(path.join(os.tmpdir(), 'vodokanal-mem-peer-'));
    try {
      console.log(row(`#${round} npm start, fresh DATA_DIR (app process)`, await product(dir, true)));
      console.log(row(`#${round} peer: node alone`, await peerRun('bare', copy)));
      const next = await product(dir, false);
      console.log(row(`#${round} npm start, same DATA_DIR (app process)`, next));
      if (next.pdf) {
        const { first, second, rss } = next.pdf;
        const ms = (t: number | string) => (typeof t === 'number' ? `${Math.round(t)} ms` : t);
        console.log(`#${round}   then the charges PDF on the web: first ${ms(first)}, second ${ms(second)}; RSS after them ${mb(rss)} MB`);
      }
      console.log(row(`#${round} peer: node + the packages main imports`, await peerRun('modules', copy)));
      await cp(path.join(dir, 'pglite'), path.join(copy, 'pglite'), { recursive: true });
      console.log(row(`#${round} peer: PGlite alone, same data`, await peerRun('pglite', copy)));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(copy, { recursive: true, force: true });
    }
  }
  console.log(
    "app process: VmRSS of the node that runs dist/main.mjs (PGlite's WebAssembly memory, V8 heaps of the main thread and the PDF worker threads, native buffers); tree: the sum over every process of `npm start` (npm, sh, app), RSS counts shared pages once per process, PSS shares them out; peak: VmHWM of the app, and the highest sum sampled every 0.5 s for the tree; a peer's tree is measured when idle.",
  );
}

await main();
