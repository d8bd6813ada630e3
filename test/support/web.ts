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
