// What the browser tests ask the API directly: demo places, users and case counts.
import { expect, request, type APIRequestContext, type Page, type BrowserContext, type Browser } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync } from 'node:fs';

export const baseURL = process.env.CIVICGRID_URL ?? 'http://localhost:5080';
export const password = process.env.CIVICGRID_DEMO_PASSWORD ?? 'CivicGrid#2026';
export const photo = fileURLToPath(new URL('./fixtures/street-light.jpg', import.meta.url));

const screenshots = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
mkdirSync(screenshots, { recursive: true });

/** A full-page screenshot into artifacts/screenshots/<name>.png (the README names the folder). */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
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
