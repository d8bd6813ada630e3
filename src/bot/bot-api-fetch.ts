import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * The HTTP client of the Bot API calls, given to grammY through its public `client.fetch` option:
 * node:http(s) requests on keep-alive agents (one connection per call in flight, reused), the
 * answer read whole. grammY sends a JSON body or a multipart stream (files), passes its own abort
 * signal (its timeout, the runner's stop) and reads only `json()` of the answer. Its default,
 * node-fetch, builds a WHATWG-like request and response around the same node:http call (about
 * 1.5-2x the CPU a call in a side measurement that is not in this repository; `npm run bench:bot`
 * has not yet been run with one client against the other).
 */
export function botApiFetch(): typeof fetch {
  const agents: Record<string, http.Agent> = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  const aborted = () => Object.assign(new Error('The Bot API call was aborted'), { name: 'AbortError' });
  const call = (url: URL, init: RequestInit, retried: boolean): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal;
      if (signal?.aborted) return reject(aborted());
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(
        url,
        { method: init.method ?? 'GET', headers: init.headers as http.OutgoingHttpHeaders, agent: agents[url.protocol] },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('error', reject);
          response.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            resolve({ ok: status >= 200 && status < 300, status, text: async () => text, json: async () => JSON.parse(text) } as Response);
          });
        },
      );
      const onAbort = () => request.destroy(aborted());
      signal?.addEventListener('abort', onAbort, { once: true });
      const body = init.body as unknown;
      const replayable = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
      request.on('error', (err: NodeJS.ErrnoException) => {
        signal?.removeEventListener('abort', onAbort);
        // A kept-alive connection the server closed as this call went out (its idle timeout): the
        // request never reached it, so it is sent once more on a new connection (as Node's docs advise).
        if (request.reusedSocket && !retried && replayable && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) return resolve(call(url, init, true));
        reject(err);
      });
      if (body === undefined || body === null) request.end();
      else if (typeof body === 'string' || body instanceof Uint8Array) request.end(body);
      else if (body instanceof Readable) body.on('error', (err) => request.destroy(err)).pipe(request);
      else Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false }).pipe(request);
    });
  return ((input: string | URL, init: RequestInit = {}) => call(new URL(String(input)), init, false)) as typeof fetch;
}
