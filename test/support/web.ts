import type { FastifyInstance } from 'fastify';

/** A visitor of the web pages for fastify.inject: keeps cookies, reads the form token off the last page. */
export function webVisitor(web: FastifyInstance, o: { ip?: string } = {}) {
  const jar = new Map<string, string>();
  let lastBody = '';
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (setCookie: string | string[] | undefined) => {
    for (const c of [setCookie ?? []].flat()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const remember = <R extends { body: string; headers: Record<string, unknown> }>(res: R) => {
    keep(res.headers['set-cookie'] as string[] | string | undefined);
    lastBody = res.body;
    return res;
  };
  const remoteAddress = o.ip ?? '127.0.0.1';
  const tokenOf = () => /name="_csrf" value="([^"]+)"/.exec(lastBody)?.[1] ?? '';
  return {
    jar,
    /** The last page seen. */
    get last() {
      return lastBody;
    },
    /** The form token of the last page seen. */
    get token() {
      return tokenOf();
    },
    async get(url: string) {
      return remember(await web.inject({ method: 'GET', url, headers: { cookie: cookieHeader() }, remoteAddress }));
    },
    /** Posts a multipart form (files as `{ name, filename, type, bytes }`); `_csrf` as `post`. */
    async postMultipart(
      url: string,
      fields: Record<string, string>,
      files: { name: string; filename: string; type: string; bytes: Buffer }[],
      csrf: string | null = tokenOf(),
    ) {
      const boundary = `----vodokanal${Math.random().toString(16).slice(2)}`;
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries({ ...(csrf === null ? {} : { _csrf: csrf }), ...fields }))
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
      for (const f of files) {
        parts.push(
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`),
        );
        parts.push(f.bytes, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      return remember(
        await web.inject({
          method: 'POST',
          url,
          payload: Buffer.concat(parts),
          headers: { cookie: cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
          remoteAddress,
        }),
      );
    },
    /** Posts a form; `_csrf` is the last page's token unless given (or `null`: none at all). */
    async post(url: string, fields: Record<string, string>, csrf: string | null = tokenOf()) {
      const body = new URLSearchParams({ ...fields, ...(csrf === null ? {} : { _csrf: csrf }) }).toString();
      return remember(
        await web.inject({
          method: 'POST',
          url,
          payload: body,
          headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          remoteAddress,
        }),
      );
    },
  };
}

/** The visible text of a page, tags dropped and spaces folded (for assertions on what a person reads). */
export const textOf = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
