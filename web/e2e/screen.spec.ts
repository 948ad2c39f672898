// The operations centre's big screen (/screen/) at 1920×1080 and 3840×2160: the scope's numbers, the map of open cases,
// the charts; and a case that turns red appears in the live feed without a reload, within 2 s of the change.
import { test, expect, type Page } from '@playwright/test';
import { apiAs, unique, shot } from './helpers';
import { microGridCentre, signIn } from './console-helpers';

test.use({ viewport: { width: 1920, height: 1080 } });

interface OnDuty { name: string; phone: string | null; startsAt: string; endsAt: string }

/** The duty panel shows each person of GET /api/duty/now with a masked phone and the shift's times, or 未排班. */
async function expectDuty(page: Page, duty: { officers: OnDuty[]; leader: OnDuty | null }) {
  const panel = page.locator('[data-test=screen-duty]');
  await expect(panel.locator('h2')).toHaveText('值班值守');
  const hm = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
  const officers = panel.locator('[data-test=screen-duty-officer]');
  await expect(officers).toHaveCount(duty.officers.length);
  for (const [i, o] of duty.officers.entries()) {
    await expect(officers.nth(i)).toContainText(o.name);
    if (o.phone) await expect(officers.nth(i)).toContainText(o.phone);
    await expect(officers.nth(i)).toContainText(hm(o.startsAt));
    await expect(officers.nth(i)).toContainText(hm(o.endsAt));
  }
  if (duty.officers.length === 0) await expect(panel.locator('[data-test=screen-duty-officer-unset]')).toHaveText('未排班');
  if (duty.leader) {
    await expect(panel.locator('[data-test=screen-duty-leader]')).toContainText(duty.leader.name);
    if (duty.leader.phone) await expect(panel.locator('[data-test=screen-duty-leader]')).toContainText(duty.leader.phone);
  } else {
    await expect(panel.locator('[data-test=screen-duty-leader-unset]')).toHaveText('未排班');
  }
  // Phones are masked: never eleven digits in a row.
  await expect(panel).not.toContainText(/\d{11}/);
}

test('the big screen shows the scope at 1920×1080, a red case appears live within 2 s, and it scales to 3840×2160', async ({ page }) => {
  const ops = await apiAs('ops');
  await signIn(page, 'ops');
  await page.goto('/screen/');
  const screen = page.locator('[data-test=screen]');
  await expect(screen).toBeVisible();
  await expect(page.locator('[data-test=screen-title]')).toContainText('城市运行中心');
  await expect(page.locator('[data-test=screen-open] b')).toHaveText(/^\d+$/);
  await expect(page.locator('[data-test=screen-closure] b')).toHaveText(/%$/);
  await expect(page.locator('[data-test=screen-map] canvas')).toBeVisible();
  await expect(page.locator('[data-test=screen-trend] canvas')).toBeVisible();
  // Department performance this month: a bar per department that closed cases with a deadline, or says there is none yet.
  const breakdown = await (await ops.get('/api/dashboard/breakdown?dimension=department')).json();
  const departments = page.locator('[data-test=screen-departments]');
  if (breakdown.lines.some((l: { closedWithDeadline: number }) => l.closedWithDeadline > 0)) await expect(departments.locator('canvas')).toBeVisible();
  else await expect(departments).toContainText('本月尚无部门办结的案件');
  // The grids' star ratings of the last quarter, and the workers on patrol now (the open patrols of today's tracks).
  await expect(page.locator('[data-test=screen-stars] canvas')).toBeVisible();
  await expect(page.locator('[data-test=screen-stars] h2')).toContainText('网格星级分布');
  const tracks = await (await ops.get('/api/patrols/tracks')).json();
  const onPatrol = tracks.features.filter((f: { properties: { endedAt: string | null } }) => !f.properties.endedAt).length;
  await expect(page.locator('[data-test=screen-patrolling]')).toHaveText(`巡查中 ${onPatrol} 人`);
  // Who is on duty now and the leader on call, as the duty roster answers (names, phones masked, shift times).
  const duty = await (await ops.get('/api/duty/now')).json();
  await expectDuty(page, duty);
  // The stage fills the 1920×1080 display exactly.
  const box = await screen.boundingBox();
  expect(Math.round(box!.width)).toBe(1920);
  expect(Math.round(box!.height)).toBe(1080);
  await page.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true; });
  await page.waitForTimeout(1500); // the map's grids and points
  await shot(page, 'screen-1920x1080');

  const { lon, lat } = await microGridCentre(ops, 9);
  const created = await ops.post('/api/cases', {
    data: { categoryCode: 'C0101', title: unique('大屏'), description: '主干道井盖缺失，车辆绕行', lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '吴先生' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { number } = await created.json();
  await expect(page.locator(`[data-test=screen-event-${number}]`)).toBeVisible({ timeout: 5000 });
  let version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  for (const reason of ['需社区协调。', '需街道研究。']) {
    expect((await ops.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: version, reason } })).status()).toBe(200);
    version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  }
  const started = Date.now();
  expect((await ops.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: version, reason: '涉及区级权限。' } })).status()).toBe(200);
  const red = page.locator(`[data-test=screen-event-${number}].urgent`);
  await expect(red).toBeVisible({ timeout: 5000 });
  const elapsed = Date.now() - started;
  expect(elapsed, `the red case took ${elapsed} ms to appear`).toBeLessThan(2000);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await shot(page, 'screen-1920x1080-live-red');

  await page.setViewportSize({ width: 3840, height: 2160 });
  await expect.poll(async () => Math.round((await screen.boundingBox())!.width)).toBe(3840);
  await page.waitForTimeout(500);
  await shot(page, 'screen-3840x2160');
});

test('a subdistrict without a roster sees 未排班 for the officer and the leader on call', async ({ page }) => {
  const opsEast = await apiAs('ops-east');
  const duty = await (await opsEast.get('/api/duty/now')).json();
  expect(duty.officers, 'the demo rosters only 示范街道').toEqual([]);
  expect(duty.leader).toBeNull();
  await signIn(page, 'ops-east');
  await page.goto('/screen/');
  await expect(page.locator('[data-test=screen-title]')).toContainText('城市运行中心');
  await expectDuty(page, duty);
  await shot(page, 'screen-1920x1080-no-roster');
});

test('the big screen asks for a sign-in first and comes back to itself', async ({ page }) => {
  await page.goto('/screen/');
  await expect(page).toHaveURL(/\/login\?next=%2Fscreen%2F|\/login\?next=\/screen\//);
  await page.locator('input[name=userName]').fill('ops');
  await page.locator('input[name=password]').fill((await import('./helpers')).password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/screen\/$/);
  await expect(page.locator('[data-test=screen-title]')).toContainText('城市运行中心');
});
