// A "110" patrol end to end: a micro-grid volunteer starts a patrol on the phone, walks along a street (the position
// simulated in steps), loses the network for a stretch (the points wait on the phone), reports a problem on the way with
// the quick report, and ends the patrol; the grid leader reads the track, coverage and case through the API, and the
// community's staff see the track on the console map, the covered grid on the coverage page, and the case.
import { test, expect, type Page } from '@playwright/test';
import { apiAs, demoPlace, phoneContext, photo, shot, signInOnPhone, userOf } from './helpers';
import { signIn } from './console-helpers';

/** About 1.1 m north per step, a step every 0.8 s: 1.4 m/s, a walking pace. */
async function walk(page: Page, from: { lon: number; lat: number }, start: number, steps: number) {
  for (let i = start; i < start + steps; i++) {
    await page.context().setGeolocation({ longitude: from.lon, latitude: from.lat + i * 0.00001, accuracy: 8 });
    await page.waitForTimeout(800);
  }
}

test('a volunteer walks a patrol with a stretch offline and reports on the way; the leader sees track, coverage and case', async ({ browser }) => {
  const district = await apiAs('district');
  const micro = await userOf(district, 'micro-grid-worker', '');
  const place = await demoPlace(district, 0, micro.scopeCode);
  const leader = await userOf(district, 'grid-leader', place.thirdCode);
  const community = await userOf(district, 'community-staff', place.thirdCode.slice(0, 12));

  const context = await phoneContext(browser, place);
  const phone = await context.newPage();
  await signInOnPhone(phone, micro.userName, /\/m\/tasks$/);
  await phone.locator('[data-test=patrol]').click();
  await expect(phone).toHaveURL(/\/m\/patrols$/);
  await shot(phone, 'phone-patrol-ready');
  expect((await phone.locator('[data-test=patrol-start]').boundingBox())!.height).toBeGreaterThanOrEqual(64);
  await phone.locator('[data-test=patrol-start]').click();
  await expect(phone.locator('[data-test=patrol-open]')).toBeVisible();

  // The first batch (10 points) goes out at once.
  await walk(phone, place, 0, 11);
  await expect(phone.locator('[data-test=patrol-waiting]')).toHaveCount(0);
  await expect(phone.locator('[data-test=patrol-distance]')).not.toHaveText('0.00 公里');

  // No signal for a stretch: the points stay on the phone.
  await context.setOffline(true);
  await expect(phone.locator('[data-test=patrol-offline]')).toBeVisible();
  await walk(phone, place, 11, 11);
  await expect(phone.locator('[data-test=patrol-waiting]')).toBeVisible();
  await shot(phone, 'phone-patrol-offline');
  await context.setOffline(false);
  await expect(phone.locator('[data-test=patrol-waiting]')).toHaveCount(0, { timeout: 30_000 });

  // A problem on the way: the quick report, linked to the open patrol by the server.
  await phone.locator('[data-test=patrol-report]').click();
  await expect(phone).toHaveURL(/\/m\/quick-report$/);
  await phone.locator('[data-test=quick-photo-input]').setInputFiles(photo);
  await phone.locator('[data-test=quick-tiles] button:has-text("暴露垃圾")').click();
  await phone.locator('[data-test=quick-confirm]').click();
  const number = (await phone.locator('[data-test=case-number]').textContent())?.trim() ?? '';
  expect(number).toMatch(/^\d{13}$/);

  await phone.goto('/m/patrols');
  await expect(phone.locator('[data-test=patrol-open]')).toBeVisible();
  await walk(phone, place, 22, 4);
  await phone.locator('[data-test=patrol-end]').click();
  await expect(phone.locator('[data-test=patrol-start]')).toBeVisible();
  await expect(phone.locator('[data-test=patrol-item]').last()).toContainText('上报 1 件');
  await expect(phone.locator('[data-test=patrol-grids]')).not.toContainText('走过 0 个网格');
  await shot(phone, 'phone-patrol-ended');
  await context.close();

  // Every point arrived once: 26 positions, about 28 m walked.
  const leaderApi = await apiAs(leader.userName);
  const tracks = await (await leaderApi.get('/api/patrols/tracks')).json();
  const mine = (tracks.features as { properties: { workerId: string; pointCount: number; walkedMeters: number; caseNumbers: string[]; status: string } }[])
    .filter((f) => f.properties.workerId === micro.id && f.properties.caseNumbers.includes(number));
  expect(mine).toHaveLength(1);
  expect(mine[0]!.properties.status).toBe('closed');
  expect(mine[0]!.properties.pointCount).toBeGreaterThanOrEqual(24);
  expect(mine[0]!.properties.walkedMeters).toBeGreaterThan(15);

  // The community's console (grid leaders work on the phone): the track on the map, the grid covered, the case.
  const desk = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(desk, community.userName);
  await desk.goto('/map');
  await expect(desk.locator('[data-test=map]')).toHaveAttribute('data-loaded', 'true', { timeout: 60_000 });
  await desk.locator('[data-test=show-patrols]').click();
  await expect(desk.locator('[data-test=track-count]')).toHaveAttribute('data-count', /^[1-9]\d*$/);
  await shot(desk, 'console-map-patrols');

  await desk.goto('/patrols');
  await expect(desk.locator('[data-test=coverage-share]')).toBeVisible();
  const coverage = await (await leaderApi.get('/api/patrols/coverage?level=micro')).json();
  const walked = (coverage.grids as { code: string; name: string; walked: boolean }[]).find((g) => g.code === place.microCode)!;
  expect(walked.walked).toBe(true);
  await expect(desk.locator('[data-test=walked]')).toContainText(walked.name);
  const days = (await (await leaderApi.get('/api/patrols/days')).json()) as { workerId: string; patrols: number }[];
  expect(days.find((d) => d.workerId === micro.id)?.patrols).toBeGreaterThanOrEqual(1);
  await expect(desk.locator('[data-test=worker-days] .el-table__row').first()).toBeVisible();
  await shot(desk, 'console-patrols');

  await desk.goto(`/cases/${number}`);
  await expect(desk.getByText(number).first()).toBeVisible();
  await desk.close();
});
