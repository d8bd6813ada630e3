// The web's «last month's charges» form over real HTTP, the way a browser sends it: the page, its
// CSRF token and cookie, then the post. For the scripts and tests that drive the real process.

/** The demo account of the README (db/seeders/DemoSeeder.ts, DEMO), also in the tests' fixture. */
export const ALLA = { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };

/** Posts the charges form at `http` with `fields`; the answer's status, type and body. */
export async function postChargesForm(http: string, fields: Record<string, string> = ALLA) {
  const page = await fetch(`${http}/charges`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${http}/charges`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: token }).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}
