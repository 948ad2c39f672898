// What the browser tests ask the API directly: demo places, users and case counts.
import { expect, request, type APIRequestContext, type Page, type BrowserContext, type Browser } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export const baseURL = process.env.CIVICGRID_URL ?? 'http://localhost:5080';
export const password = process.env.CIVICGRID_DEMO_PASSWORD ?? 'CivicGrid#2026';
export const photo = fileURLToPath(new URL('./fixtures/street-light.jpg', import.meta.url));

const screenshots = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
mkdirSync(screenshots, { recursive: true });
const a11yReports = fileURLToPath(new URL('../../artifacts/a11y/', import.meta.url));

/** A full-page screenshot into artifacts/screenshots/<name>.png (the README names the folder). */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
  expect(await cspViolations(page), `Content-Security-Policy violations on ${name}`).toEqual([]);
}

/**
 * What the server's Content-Security-Policy blocked on the page so far (the browser's buffered csp-violation reports):
 * every screenshot checks there were none, so a page that needs something the policy forbids fails its test.
 */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        type Report = { body: { blockedURL?: string; effectiveDirective?: string; sourceFile?: string } | null };
        type Observer = { observe(): void; takeRecords(): Report[]; disconnect(): void };
        const Reporting = (window as unknown as { ReportingObserver?: new (cb: (r: Report[]) => void, o: object) => Observer }).ReportingObserver;
        if (!Reporting) return resolve([]);
        const seen: string[] = [];
        const describe = (r: Report) => `${r.body?.effectiveDirective} blocked ${r.body?.blockedURL} (${r.body?.sourceFile ?? 'page'})`;
        const observer = new Reporting((reports) => seen.push(...reports.map(describe)), { types: ['csp-violation'], buffered: true });
        observer.observe();
        setTimeout(() => {
          seen.push(...observer.takeRecords().map(describe));
          observer.disconnect();
          resolve(seen);
        }, 200);
      }),
  );
}

/** An API client signed in with a bearer token. */
export async function apiAs(userName: string): Promise<APIRequestContext> {
  const anonymous = await request.newContext({ baseURL });
  const login = await anonymous.post('/api/auth/login', { data: { userName, password, useCookie: false } });
  if (!login.ok()) throw new Error(`login ${userName}: ${login.status()} ${await login.text()}`);
  const { accessToken } = await login.json();
  await anonymous.dispose();
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${accessToken}` } });
}

export interface DemoPlace {
  lon: number;
  lat: number;
  microCode: string;
  thirdCode: string;
}

/**
 * A point well inside a demo micro-grid (the centre of its ring), checked with the locator to be certain; with
 * `within`, only micro-grids whose code starts with it (a community's or a grid's code).
 */
export async function demoPlace(admin: APIRequestContext, skip = 100, within = ''): Promise<DemoPlace> {
  const grids = await (await admin.get('/api/geo/grids?level=micro')).json();
  const features = (grids.features as { properties: { code: string }; geometry: { type: string; coordinates: number[][][] | number[][][][] } }[])
    .filter((f) => f.properties.code.startsWith(within));
  for (const feature of features.slice(within ? 0 : skip, (within ? 0 : skip) + 20)) {
    const ring = (feature.geometry.type === 'MultiPolygon' ? (feature.geometry.coordinates as number[][][][])[0]![0]! : (feature.geometry.coordinates as number[][][])[0]!);
    const points = ring.slice(0, -1);
    const lon = points.reduce((s, p) => s + p[0]!, 0) / points.length;
    const lat = points.reduce((s, p) => s + p[1]!, 0) / points.length;
    const located = await (await admin.get(`/api/geo/locate?lon=${lon}&lat=${lat}&crs=wgs84&accuracy=10`)).json();
    if (located.confidence !== 'certain' || located.grid?.level !== 'micro') continue;
    const third = (located.chain as { code: string; level: string }[]).find((c) => c.level === 'grid-3');
    if (third) return { lon, lat, microCode: located.grid.code, thirdCode: third.code };
  }
  throw new Error('no demo micro-grid with a certain interior point');
}

/** The user of a role whose scope is that grid (else the first within it), from the user list. */
export async function userOf(admin: APIRequestContext, role: string, scopeCode: string): Promise<{ id: string; userName: string; scopeCode: string }> {
  const users = (await (await admin.get(`/api/users?role=${role}&scopeCode=${scopeCode}`)).json()) as { id: string; userName: string; scopeCode: string }[];
  const user = users.find((u) => u.scopeCode === scopeCode) ?? users[0];
  if (!user) throw new Error(`no ${role} for ${scopeCode}`);
  return user;
}

/** The grid leader of a 3rd-level grid, from the user list. */
export async function leaderOf(admin: APIRequestContext, thirdCode: string): Promise<string> {
  return (await userOf(admin, 'grid-leader', thirdCode)).userName;
}

/** Signs in on the phone's login page and waits for the role's landing page. */
export async function signInOnPhone(page: Page, userName: string, landing: RegExp) {
  await page.goto('/m/login');
  await page.locator('input[name=userName]').fill(userName);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(landing);
}

/** The resident's 随手拍 filled in: one photo, 公用设施 → 路灯损坏, a description. */
export async function fillReport(page: Page, description: string) {
  await page.locator('[data-test=photo-input]').setInputFiles(photo);
  await expect(page.locator('img[src^="blob:"]')).toHaveCount(1);
  await page.getByRole('button', { name: '公用设施' }).click();
  await page.getByRole('button', { name: '路灯损坏' }).click();
  await page.locator('[data-test=description] textarea').fill(description);
}

/** A case as one user sees it through the API (status, version, assignee, rating…). */
export async function caseAs(api: APIRequestContext, number: string) {
  const response = await api.get(`/api/cases/${number}`);
  if (!response.ok()) throw new Error(`case ${number}: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** How many cases carry this text in their number, title or description. */
export async function countCases(staff: APIRequestContext, text: string): Promise<number> {
  const response = await staff.get(`/api/cases?text=${encodeURIComponent(text)}&pageSize=10`);
  if (!response.ok()) throw new Error(`case search: ${response.status()} ${await response.text()}`);
  return Number((await response.json()).total);
}

/** A phone at 360×640 standing at the place, location permission granted. */
export function phoneContext(browser: Browser, place?: { lon: number; lat: number }): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    ...(place ? { geolocation: { longitude: place.lon, latitude: place.lat, accuracy: 10 }, permissions: ['geolocation'] } : {}),
  });
}

export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Reports a case through the API with the fixture photo (every common category needs one); returns its number. */
export async function reportAs(api: APIRequestContext, categoryCode: string, description: string, place: { lon: number; lat: number }): Promise<string> {
  const response = await api.post('/api/cases', {
    multipart: {
      categoryCode, description, lon: String(place.lon), lat: String(place.lat), crs: 'wgs84',
      photos: { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) },
    },
  });
  if (response.status() !== 201) throw new Error(`report: ${response.status()} ${await response.text()}`);
  return (await response.json()).number;
}

const reviewerPasswords = ['Qiantang-Jiang-51#', 'Lanhua-Lu-78#'];

/** A bearer token for a user and password (for accounts the tests create, whose passwords are not the demo's). */
export async function tokenFor(userName: string, secret: string): Promise<string> {
  const anonymous = await request.newContext({ baseURL });
  const login = await anonymous.post('/api/auth/login', { data: { userName, password: secret, useCookie: false } });
  expect(login.ok(), await login.text()).toBeTruthy();
  const { accessToken } = await login.json();
  await anonymous.dispose();
  return accessToken as string;
}

/**
 * Community staff of a community, to review an assessment run: the demo has one community's staff account (`own`); for
 * the others an account is created as a security admin would, and its one-time password changed.
 */
export async function communityReviewer(community: string, own: { code: string; client: APIRequestContext }): Promise<APIRequestContext> {
  if (community === own.code) return own.client;
  const [first, next] = reviewerPasswords;
  const secadmin = await apiAs('secadmin');
  const userName = `e2e-review-${community}-${Date.now().toString(36)}`;
  const created = await secadmin.post('/api/users', { data: { userName, displayName: '社区审议员', roles: ['community-staff'], scopeCode: community, password: first } });
  expect(created.status()).toBe(201);
  const changing = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${await tokenFor(userName, first)}` } });
  expect((await changing.post('/api/auth/password', { data: { currentPassword: first, newPassword: next } })).ok()).toBeTruthy();
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${await tokenFor(userName, next)}` } });
}

/** A review meeting of an assessment run (双议), held an hour ago. */
export const reviewMeeting = (title: string) => ({
  title, heldAt: new Date(Date.now() - 3600_000).toISOString(), place: '社区议事厅', participants: ['王主任', '李委员'], summary: '逐项审议。',
});

/** The viewports every page is looked at in: a staff PC and a cheap phone. */
export const viewports = { desktop: { width: 1440, height: 900 }, phone: { width: 360, height: 640 } } as const;

/** axe-core itself (node_modules/axe-core/axe.min.js), put into a page once per document by seriousA11yViolations. */
const axeSource = readFileSync(fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

interface AxeViolation { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }

/**
 * axe-core's serious and critical findings on the page as it is now (WCAG 2.0, 2.1 and 2.2 A/AA rules: contrast, names of
 * buttons, inputs and images, target sizes, landmarks…), each described with its rule, the elements and the fix axe
 * suggests; the whole list of violations lands in artifacts/a11y/<name>.json. Moderate and minor findings are kept in the
 * report but do not fail a test. axe runs in the page as a script of its own (injected once per document) and is asked
 * for violations only: passes and inapplicable rules on a page of 15,000 elements are megabytes nobody reads, and
 * serialising them took longer than the check.
 */
export async function seriousA11yViolations(page: Page, name: string, exclude: readonly string[] = []): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (excluded) => {
    const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const context = { include: [document], exclude: excluded.map((selector) => [selector]) };
    const result = await axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, [...exclude]);
  mkdirSync(a11yReports, { recursive: true });
  writeFileSync(`${a11yReports}${name}.json`, JSON.stringify(violations, null, 2));
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`);
}

/**
 * Looks at the page as its users do: at 1440×900 and at 360×640, a full-page screenshot of each
 * (artifacts/screenshots/<name>-desktop.png, <name>-phone.png) and an accessibility check of each with no serious
 * violation allowed. The viewport is put back afterwards. `exclude` leaves parts out of the check (CSS selectors), e.g. the
 * console's header and menu on a page spec, which the every-route tour checks once.
 */
export async function lookAtPage(page: Page, name: string, options: { exclude?: readonly string[] } = {}) {
  const before = page.viewportSize();
  try {
    for (const [size, viewport] of Object.entries(viewports)) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(150); // layouts that depend on width settle
      await shot(page, `${name}-${size}`);
      expect.soft(await seriousA11yViolations(page, `${name}-${size}`, options.exclude), `serious accessibility violations on ${name} at ${size}`).toEqual([]);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/**
 * The phone pages' own rules for people with weak eyes and unsteady fingers (DOMAIN: big type, few steps), measured at
 * 360×640 on what is visible: every control that is tapped (buttons, links that are not inside a sentence, fields,
 * tabs, clickable cells, switches, checkboxes) at least 48 px high and 48 px wide, and, where `minText` is given (the
 * elder-friendly mode: 18 px), every piece of visible text at least that size. Returns what breaks a rule, each with its
 * text and measure.
 */
export async function elderRuleBreaks(page: Page, { minTarget = 48, minText }: { minTarget?: number; minText?: number } = {}): Promise<string[]> {
  return page.evaluate(({ minTarget, minText }) => {
    const breaks: string[] = [];
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return false;
      const style = getComputedStyle(el);
      return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0 && !el.closest('[aria-hidden=true], [inert]');
    };
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-test') ? `[data-test=${el.getAttribute('data-test')}]` : ''} “${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().replace(/\s+/g, ' ').slice(0, 24)}”`;
    // A link inside a sentence is exempt (WCAG 2.5.8's inline exception), so are controls inside a larger tappable box
    // (a checkbox's hidden input, a cell's own link): the box that takes the tap is what is measured.
    const targets = 'button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=tab], [role=switch], [role=checkbox], [role=radio], .van-cell--clickable';
    for (const el of document.querySelectorAll(targets)) {
      if (!visible(el)) continue;
      if (el.matches('a') && el.parentElement && getComputedStyle(el).display === 'inline' && /\S/.test([...el.parentElement.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))) continue;
      // A map's marker is moved by tapping anywhere on the map: the map is the target.
      if (el.matches('.maplibregl-marker')) continue;
      const outer = el.parentElement?.closest(targets);
      if (outer && visible(outer)) continue;
      // The box that takes the tap: a field's whole row (its label focuses the input), a checkbox's or radio's row.
      const hit = (el.parentElement?.closest('.van-checkbox, .van-radio, .van-field') ?? el).getBoundingClientRect();
      const box = el.getBoundingClientRect();
      const height = Math.max(box.height, hit.height);
      const width = Math.max(box.width, hit.width);
      if (height < minTarget - 0.5 || width < minTarget - 0.5) breaks.push(`target ${describe(el)} ${Math.round(width)}×${Math.round(height)} px`);
    }
    if (minText) {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = new Set<Element>();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || seen.has(el) || !/\S/.test(node.textContent ?? '') || !visible(el)) continue;
        seen.add(el);
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < minText - 0.5) breaks.push(`text ${describe(el)} ${size} px`);
      }
    }
    return breaks;
  }, { minTarget, minText });
}
