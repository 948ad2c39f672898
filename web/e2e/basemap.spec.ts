// The base map under every map: the server's own vector tiles of the territory (the demo's streets, compounds and
// buildings), no tile from the internet. Counted from what each map actually rendered (MapLibre's rendered features,
// published on the map's element), street names included — drawn with the device's fonts, there being no glyph server.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { apiAs, demoPlace, phoneContext, shot } from './helpers';
import { signIn } from './console-helpers';

async function expectStreets(map: Locator, { labels = true } = {}) {
  await expect(map).toHaveAttribute('data-basemap', 'vector', { timeout: 30_000 });
  await expect.poll(async () => Number(await map.getAttribute('data-basemap-roads') ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
  if (labels) await expect.poll(async () => Number(await map.getAttribute('data-basemap-labels') ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
}

function noOutsideRequests(page: Page) {
  const outside: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol.startsWith('http')) outside.push(r.url());
  });
  return outside;
}

test('the resident\'s report map shows streets, names and buildings around the pin', async ({ browser }) => {
  const place = await demoPlace(await apiAs('district'));
  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  const outside = noOutsideRequests(page);
  const tiles: number[] = [];
  page.on('response', (r) => { if (r.url().includes('/api/basemap/tiles/')) tiles.push(r.status()); });
  await page.goto('/m/report');
  await page.locator('[data-test=open-map]').click();
  const map = page.locator('[data-test=map]');
  await expectStreets(map);
  await expect.poll(async () => Number(await map.getAttribute('data-basemap-buildings') ?? 0)).toBeGreaterThan(0);
  expect(tiles.filter((s) => s === 200).length).toBeGreaterThan(0);
  expect(tiles.every((s) => s === 200 || s === 204)).toBe(true);
  await map.scrollIntoViewIfNeeded();
  await shot(page, 'phone-report-basemap');
  expect(outside).toEqual([]);
  await context.close();
});

test('the console map shows the streets under the grids when a grid is opened', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const outside = noOutsideRequests(page);
  await signIn(page, 'ops');
  await page.locator('[data-test=menu-map]').click();
  const map = page.locator('[data-test=map]');
  await expect(map).toHaveAttribute('data-loaded', 'true', { timeout: 60_000 });
  // The subdistrict at zoom 13: its main roads, no names yet.
  await expectStreets(map, { labels: false });
  // Open a community: the map flies in and the street names appear.
  // The tree opens at the subdistrict with its communities showing (clicking the arrow would fold them away).
  await page.locator('[data-test=grid-tree] .el-tree-node__content').first().click();
  const community = page.locator('[data-test=grid-tree] .el-tree-node__children .el-tree-node__content').first();
  await expect(community).toBeVisible();
  await community.click();
  await expectStreets(map);
  await shot(page, 'console-map-basemap');
  expect(outside).toEqual([]);
});

test('the big screen draws the base map in its dark colours', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await signIn(page, 'ops');
  await page.goto('/screen/');
  const map = page.locator('[data-test=screen-map]');
  await expectStreets(map, { labels: false });
});
