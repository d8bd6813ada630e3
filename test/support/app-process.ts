// The app as a child process, as `npm start` runs it (src/cli/build.mjs, then node dist/main.mjs), for
// the scripts that drive the real process (npm run fuzz, bench:outage, bench:bot): its log kept and
// parsed, its memory read.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const BENCH_TOKEN = '7000001:BENCH-TOKEN-FOR-LOCAL-RUNS-ONLY-xxxxxx';

let built = false;

/** The node flags `npm start` gives the app (package.json's start script: `node <flags> dist/main.mjs`). */
export function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts.start;
  const flags = /(?:^|&& )node ((?:--\S+ )*)dist\/main\.mjs$/.exec(start);
  if (!flags) throw new Error(`package.json's start script no longer ends in node <flags> dist/main.mjs: ${start}`);
  return flags[1]!.split(' ').filter(Boolean);
}

/**
 * The app as a child process (`node <npm start's flags> [nodeOptions] dist/main.mjs`, built first),
 * its log kept and parsed. `main`: a build made elsewhere, run as it is.
 */
export function spawnApp(env: Record<string, string>, nodeOptions: string[] = [], main?: string) {
  if (!main && !built) {
    execFileSync(process.execPath, ['src/cli/build.mjs'], { stdio: 'inherit' });
    built = true;
  }
  const child: ChildProcess = spawn(process.execPath, [...startFlags(), ...nodeOptions, main ?? 'dist/main.mjs'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: '0', SHUTDOWN_TIMEOUT_SECONDS: '5', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  let rest = '';
  child.stdout!.on('data', (c: Buffer) => {
    const parts = (rest + c.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line));
      } catch {
        raw.push(line);
      }
    }
  });
  child.stderr!.on('data', (c: Buffer) => raw.push(c.toString('utf8')));
  let exit: { code: number | null; signal: string | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  return {
    child,
    lines,
    raw,
    exited,
    get exit() {
      return exit;
    },
    /** The child's resident memory (VmRSS, kB), null once it is gone. */
    rssKb(): number | null {
      try {
        const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) : null;
      } catch {
        return null;
      }
    },
    async waitFor(test: (line: Record<string, any>) => boolean, what: string, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some(test)) {
        if (exit) throw new Error(`${what}: the app exited (${JSON.stringify(exit)}): ${raw.join('').slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`${what}: not seen after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return lines.find(test)!;
    },
    /** Level ≥ 50 lines: how many, and a few distinct messages (with the error's own message). */
    errors() {
      const bad = lines.filter((l) => Number(l.level) >= 50);
      const distinct = new Map<string, number>();
      for (const l of bad) {
        const key = `${l.msg}${l.err?.message ? `: ${String(l.err.message).slice(0, 160)}` : ''}`;
        distinct.set(key, (distinct.get(key) ?? 0) + 1);
      }
      return { count: bad.length, distinct };
    },
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(late);
    },
  };
}
export type App = ReturnType<typeof spawnApp>;
