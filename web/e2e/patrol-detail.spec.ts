// Coverage for a period on the console map and one patrol's page: a grid worker's patrol (on foot, a bus ride, on foot
// again, a problem reported on the way) is sent through the API; the community's staff choose the period and level of
// the coverage on the map and on /patrols, open the patrol from the day's tracks (and from the worker's day), and read its page: the masked worker,
// walked against vehicle distance, steps, time per grid by name, the track drawn by stretch, the case linked.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { apiAs, demoPlace, reportAs, shot, unique, userOf } from './helpers';
import { signIn } from './console-helpers';

const METERS_PER_DEGREE_LAT = 111_195;

/** Starts a patrol now (ending one left open first), walks, rides, walks, reports a case, ends; answers its id and case. */
async function patrolWithABusRide(worker: APIRequestContext, place: { lon: number; lat: number }) {
  let started = await worker.post('/api/patrols');
  if (started.status() === 200) {
    await worker.post(`/api/patrols/${(await started.json()).id}/end`);
    started = await worker.post('/api/patrols');
  }
  expect(started.status()).toBe(201);
  const id = (await started.json()).id as string;
  const from = Date.now() - 4 * 60_000;
  let north = 0;
  const points = Array.from({ length: 38 }, (_, i) => {
    north += i >= 20 && i < 28 ? 40 : 5.5;
    return { at: new Date(from + i * 5000).toISOString(), lon: place.lon, lat: place.lat + north / METERS_PER_DEGREE_LAT, accuracy: 8, steps: null };
  });
  expect((await worker.post(`/api/patrols/${id}/points`, { data: { batchId: `detail-${id}`, points } })).ok()).toBe(true);
  const number = await reportAs(worker, 'E0101', unique('巡查途中发现暴露垃圾 e2e-'), place);
  expect((await worker.post(`/api/patrols/${id}/end`)).ok()).toBe(true);
  return { id, number };
}

test('staff choose the coverage period and level on the map, open a patrol from its track and read its page', async ({ browser }) => {
  const district = await apiAs('district');
  const walker = await userOf(district, 'grid-worker', '');
  const place = await demoPlace(district, 0, walker.scopeCode);
  const community = await userOf(district, 'community-staff', place.thirdCode.slice(0, 12));
  const { id, number } = await patrolWithABusRide(await apiAs(walker.userName), place);

  const desk = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(desk, community.userName);
  await desk.goto('/map');
  await expect(desk.locator('[data-test=map]')).toHaveAttribute('data-loaded', 'true', { timeout: 60_000 });
  await desk.locator('[data-test=show-patrols]').click();
  const share = desk.locator('[data-test=map-coverage-share]');
  await expect(share).toHaveAttribute('data-walked', /^[1-9]\d*$/);
  await expect(desk.locator('[data-test=patrol-legend]')).toContainText('无人走过');

  // This month at the third-level grids: as many grids as the API counts for that period and level.
  await desk.locator('[data-test=period-preset]').getByText('本月').click();
  await desk.locator('[data-test=period-level]').getByText('三级网格').click();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const staff = await apiAs(community.userName);
  const month = await (await staff.get(`/api/patrols/coverage?level=grid-3&from=${today.slice(0, 8)}01&to=${today}`)).json();
  await expect(share).toHaveAttribute('data-total', String(month.total));
  await expect(share).toHaveAttribute('data-walked', String(month.walkedCount));

  // A future day cannot be picked for the tracks; a date range longer than the server allows cannot be either.
  await desk.locator('[data-test=patrol-bar]').getByRole('combobox').first().click();
  const panel = desk.locator('.el-picker-panel').filter({ visible: true });
  await expect(panel.locator('td.today')).not.toHaveClass(/disabled/);
  const tomorrow = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);
  if (tomorrow.slice(0, 7) === today.slice(0, 7)) await expect(panel.locator('td.disabled').first()).toBeVisible();
  await desk.keyboard.press('Escape');
  await desk.locator('[data-test=period-preset]').getByText('选择日期').click();
  await desk.locator('[data-test=patrol-bar] .el-range-editor').click();
  const range = desk.locator('.el-date-range-picker').filter({ visible: true });
  const left = range.locator('.el-date-range-picker__content.is-left');
  await range.locator('td.today').first().click();
  await expect(left.locator('td.available').first()).toBeVisible(); // last month: within the limit
  for (let i = 0; i < 3; i++) await range.locator('.el-date-range-picker__header .arrow-left').first().click();
  await expect(left.locator('td.disabled').first()).toBeVisible(); // four months back: beyond it
  await expect(left.locator('td.available')).toHaveCount(0);
  await desk.keyboard.press('Escape');
  await shot(desk, 'console-map-coverage-period');

  // The day's track opens its patrol.
  await desk.locator(`[data-test=track-link][data-id="${id}"]`).click();
  await expect(desk).toHaveURL(new RegExp(`/patrols/${id}$`));
  await expect(desk.locator('[data-test=patrol-status]')).toHaveText('已结束');
  await expect(desk.locator('[data-test=patrol-worker]')).toContainText('*');
  await expect(desk.locator('[data-test=patrol-vehicle]')).not.toHaveText('0.00 公里');
  await expect(desk.locator('[data-test=patrol-steps-source]')).toHaveText('按距离估算');
  await expect(desk.locator('[data-test=legend-walked]')).toBeVisible();
  await expect(desk.locator('[data-test=legend-vehicle]')).toBeVisible();
  await expect(desk.locator('[data-test=patrol-map]')).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 });
  const detail = await (await staff.get(`/api/patrols/${id}`)).json();
  await expect(desk.locator('[data-test=patrol-grids]')).toContainText(detail.grids[0].name);
  await expect(desk.locator('[data-test=patrol-grids]')).not.toContainText(detail.grids[0].code);
  await shot(desk, 'console-patrol-detail');
  await desk.locator('[data-test=patrol-case-link]', { hasText: number }).click();
  await expect(desk).toHaveURL(new RegExp(`/cases/${number}$`));

  // /patrols: the same choice of period and level; today at the micro-grids lists the walked grid by name.
  await desk.goto('/patrols');
  await desk.locator('[data-test=period-preset]').getByText('今天').click();
  await desk.locator('[data-test=period-level]').getByText('微网格').click();
  await expect(desk.locator('[data-test=walked]')).toContainText(detail.grids[0].name);
  await shot(desk, 'console-patrols-today');
  // Each worker's day links its patrols.
  await desk.locator(`[data-test=day-patrol][data-id="${id}"]`).click();
  await expect(desk).toHaveURL(new RegExp(`/patrols/${id}$`));
  await expect(desk.locator('[data-test=patrol-cases]')).toContainText(number);
  await desk.close();
});
