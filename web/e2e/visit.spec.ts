// Door-knocking (叮咚敲门) and the household register: a department liaison knocks on a door on the phone, picking building →
// unit → room from the register, finds a need and a problem, and the problem becomes a case at the building in the same
// save; community staff read the register masked in the console, reveal one resident with a reason, and see who is behind.
import { test, expect } from '@playwright/test';
import { apiAs, phoneContext, photo, shot, signInOnPhone } from './helpers';
import { signIn } from './console-helpers';

test('a sunk worker records a door-knock on the phone that raises a need and a problem, and the problem becomes a case', async ({ browser }) => {
  const police = await apiAs('police01');
  const buildings = (await (await police.get('/api/households/buildings')).json()) as { code: string; households: number }[];
  const building = buildings.find((b) => b.households > 0)!;
  const rooms = await (await police.get(`/api/households/buildings/${building.code}/rooms`)).json();
  const target = (rooms.households as { householdId: string; unit: number; room: string; occupancy: string }[]).find((h) => h.occupancy !== 'vacant')!;
  const before = await (await police.get('/api/visits/mine')).json();

  // The phone stands at the building's door.
  const context = await phoneContext(browser, { lon: rooms.lon, lat: rooms.lat });
  const page = await context.newPage();
  // A liaison's desk is the console: the phone login goes there first, then the liaison opens the door-knock page.
  await signInOnPhone(page, 'police01', /:\d+\/$/);
  await page.goto('/m/visit');
  await expect(page.locator('[data-test=my-week]')).toContainText('本周已敲门');
  await page.locator(`[data-test=building-${building.code}]`).click();
  if (rooms.units > 1) await page.locator(`[data-test=unit-${target.unit}]`).click();
  await page.locator(`[data-test=visit-rooms] [data-test=room-${target.room}]`).click();
  await page.locator('[data-test=outcome-visited]').click();
  await page.locator('[data-test=need-repair]').click();
  await page.locator('[data-test=visit-problem]').click();
  await page.locator('[data-test=problem-C0102]').click();
  await page.locator('[data-test=visit-problem-text]').fill('楼道灯坏了，老人晚上下楼看不见');
  await page.locator('[data-test=visit-photo-input]').setInputFiles(photo);
  await shot(page, 'phone-visit');
  await page.locator('[data-test=visit-submit]').click();

  await expect(page.locator('[data-test=visit-saved]')).toBeVisible();
  const filed = (await page.locator('[data-test=visit-case]').textContent()) ?? '';
  const number = filed.match(/\d{13}/)?.[0] ?? '';
  expect(number).toMatch(/^\d{13}$/);
  await expect(page.locator('[data-test=visit-has-photo]')).toBeVisible();
  await shot(page, 'phone-visit-saved');

  // On the server: the visit with its need, near the building, counted in the week; the case placed at the building.
  const mine = await (await police.get('/api/visits/mine')).json();
  expect(mine.visits).toBe(before.visits + 1);
  const visit = mine.items[0];
  expect(visit.householdId).toBe(target.householdId);
  expect(visit.isFar).toBe(false);
  expect(visit.hasPhoto).toBe(true);
  expect(visit.findings).toContainEqual(expect.objectContaining({ kind: 'need', needKind: 'repair' }));
  expect(visit.findings).toContainEqual(expect.objectContaining({ kind: 'problem', categoryCode: 'C0102', caseNumber: number }));
  const ops = await apiAs('ops');
  const stored = await (await ops.get(`/api/cases/${number}`)).json();
  expect(stored.categoryCode).toBe('C0102');
  expect(stored.description).toContain('楼道灯坏了');
  expect(stored.description).toContain(`${target.unit}单元${target.room}`);
  expect(Math.abs(stored.lon - rooms.lon)).toBeLessThan(1e-6);
  await context.close();
});

test('the register in the console: residents masked, one revealed with a reason, visits and who is behind this week', async ({ page }) => {
  await signIn(page, 'community01');
  await page.locator('[data-test=menu-households]').click();
  await expect(page).toHaveURL(/\/households$/);
  await expect(page.locator('[data-test=household-count]')).toContainText('共');
  const firstResident = page.locator('[data-test^=resident-]').first();
  await expect(firstResident).toContainText('*');
  await expect(firstResident).toContainText('****');
  await shot(page, 'console-households');

  await page.locator('[data-test=filter-occupancy]').click();
  await page.getByRole('option', { name: '出租' }).click();
  await expect(page.locator('[data-test=household-table]')).toContainText('出租');
  await expect(page.locator('[data-test=household-table]')).not.toContainText('自住');

  await firstResident.locator('[data-test^=reveal-]').click();
  await page.locator('[data-test=reveal-confirm]').click();
  await expect(page.locator('[data-test=reveal-dialog]')).toContainText('理由');
  await page.locator('input[data-test=reveal-reason]').fill('核实低保申请');
  await page.locator('[data-test=reveal-confirm]').click();
  const revealed = page.locator('[data-test=revealed]');
  await expect(revealed).toBeVisible();
  await expect(revealed).not.toContainText('*');

  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: '走访记录' }).click();
  await expect(page.locator('[data-test=visit-table]')).toContainText('单元');
  await page.getByRole('tab', { name: '本周敲门' }).click();
  await expect(page.locator('[data-test=week-summary]')).toContainText('每周最低 1 户');
  await expect(page.locator('[data-test=week-table]')).toBeVisible();
  await shot(page, 'console-visit-week');
});
