// The operations centre's duty page (/duty, 值班值守): the officer on duty sees themselves and the leader on call, their
// alerts (with a badge in the menu), acknowledges a red case's alert that arrived while the page was open, plans a rotation
// (an overlapping one refused in Chinese, a free one stored), and signs the handover of their shift.
import { test, expect } from '@playwright/test';
import { apiAs, unique, shot } from './helpers';
import { microGridCentre, signIn } from './console-helpers';

function beijingDate(offsetDays: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('the officer on duty sees who is on duty, acknowledges an alert, plans shifts and signs the handover', async ({ page }) => {
  const ops = await apiAs('ops');
  const now = await (await ops.get('/api/duty/now')).json();
  expect(now.officers.length, 'the demo roster puts someone on duty now').toBeGreaterThan(0);

  await signIn(page, 'ops');
  await page.locator('[data-test=menu-duty]').click();
  await expect(page).toHaveURL(/\/duty$/);
  await expect(page.locator('[data-test=duty-officer]').first()).toContainText(now.officers[0].name);
  await expect(page.locator('[data-test=duty-leader]')).toContainText(now.leader.name);
  await expect(page.locator('[data-test=duty-shift]').first()).toBeVisible();
  await shot(page, 'console-duty');

  // A case turns red while the page is open: its alert arrives for the officer on duty, who acknowledges it.
  const { lon, lat } = await microGridCentre(ops, 11);
  const created = await ops.post('/api/cases', {
    data: { categoryCode: 'C0101', title: unique('值班提醒'), description: '主干道井盖缺失，夜间有车辆受损', lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '刘先生' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { number } = await created.json();
  let version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  for (const reason of ['需社区协调。', '需街道研究。', '涉及区级权限。']) {
    expect((await ops.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: version, reason } })).status()).toBe(200);
    version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  }
  const row = page.locator('[data-test=duty-alerts] .el-table__row', { hasText: number });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toContainText('待确认');
  await expect(page.locator('[data-test=menu-duty-badge]')).toBeVisible();
  await shot(page, 'console-duty-alert');
  await row.locator('[data-test=duty-acknowledge]').click();
  await expect(row).toContainText('已确认');

  // Planning over days already staffed is refused as a whole, with the clash named; free days are planned at once.
  const people = page.locator('[data-test=duty-plan-people]');
  const range = page.locator('[data-test=duty-plan-range] input');
  async function planFor(from: string, to: string) {
    await range.nth(0).fill(from);
    await range.nth(1).fill(to);
    await range.nth(1).press('Enter');
    await page.keyboard.press('Escape');
  }
  // The multiple select's placeholder covers its input: open it by its box.
  await people.locator('.el-select__wrapper').click();
  const options = page.locator(`[id="${await people.getByRole('combobox').first().getAttribute('aria-controls')}"]`).getByRole('option');
  await options.nth(1).click();
  await options.nth(2).click();
  await page.keyboard.press('Escape');
  await planFor(beijingDate(0), beijingDate(1));
  await page.locator('[data-test=duty-generate]').click();
  await expect(page.locator('[data-test=duty-plan-error]')).toContainText('重叠');
  await shot(page, 'console-duty-overlap');
  const free = 30 + (Math.floor(Date.now() / 1000) % 300);
  await planFor(beijingDate(free), beijingDate(free + 1));
  await page.locator('[data-test=duty-generate]').click();
  await expect(page.locator('.el-message--success')).toContainText('已生成 4 个班次');
  const planned = await (await ops.get(`/api/duty/shifts?from=${beijingDate(free)}&to=${beijingDate(free + 1)}`)).json();
  expect(planned.shifts.filter((s: { postKind: string }) => s.postKind === 'officer')).toHaveLength(4);

  // The handover of the shift under way: pre-filled with the open urgent items, signed by the officer themselves.
  const handover = page.locator('[data-test=duty-handover]');
  await expect(handover).toContainText('交班班次');
  const notes = unique('交班说明');
  await page.locator('[data-test=duty-handover-notes] textarea').fill(`${notes}：井盖缺失案件已报区级，请跟进。`);
  await page.locator('[data-test=duty-sign]').click();
  await expect(page.locator('[data-test=duty-handover-log]')).toContainText(notes);
  await shot(page, 'console-duty-handover');
});
