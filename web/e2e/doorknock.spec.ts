// The door-knock story of issue 17 in one run: a sunk department liaison knocks on a door on the phone and finds a need;
// community staff find that need on the console's needs list (source: door-knock, at that building), pick a project
// planted in its grid and mark the need met by it; the liaison then reads it as met.
import { test, expect } from '@playwright/test';
import { apiAs, phoneContext, shot, signInOnPhone, unique, userOf } from './helpers';
import { signIn } from './console-helpers';

type Need = { id: string; status: string; source: string; sourceReference: string | null; buildingCode: string | null; gridCode: string;
  requester: string; description: string; projectName: string | null };

test('a sunk worker records a door-knock that raises a need, which a project then meets', async ({ browser }) => {
  test.setTimeout(60_000);
  const liaison = await apiAs('police01');
  const buildings = (await (await liaison.get('/api/households/buildings')).json()) as { code: string; name: string; households: number }[];
  const withHouseholds = buildings.filter((b) => b.households > 0);
  // Another building and room each run, so the need found is the only one of its household today.
  const building = withHouseholds[Date.now() % withHouseholds.length]!;
  const rooms = await (await liaison.get(`/api/households/buildings/${building.code}/rooms`)).json();
  const occupied = (rooms.households as { householdId: string; unit: number; room: string; occupancy: string }[]).filter((h) => h.occupancy !== 'vacant');
  const target = occupied[Math.floor(Math.random() * occupied.length)]!;

  // The liaison at the door, on the phone.
  const context = await phoneContext(browser, { lon: rooms.lon, lat: rooms.lat });
  const phone = await context.newPage();
  await signInOnPhone(phone, 'police01', /:\d+\/$/);
  await phone.goto('/m/visit');
  await phone.locator(`[data-test=building-${building.code}]`).click();
  if (rooms.units > 1) await phone.locator(`[data-test=unit-${target.unit}]`).click();
  await phone.locator(`[data-test=visit-rooms] [data-test=room-${target.room}]`).click();
  await phone.locator('[data-test=outcome-visited]').click();
  await phone.locator('[data-test=need-elderly-care]').click();
  await phone.locator('[data-test=visit-submit]').click();
  await expect(phone.locator('[data-test=visit-saved]')).toBeVisible();
  await shot(phone, 'doorknock-phone-saved');
  const visit = (await (await liaison.get('/api/visits/mine')).json()).items[0] as { id: string; householdId: string };
  expect(visit.householdId).toBe(target.householdId);

  // The need on the list, placed at the building, and a project running in its grid.
  const district = await apiAs('district');
  const raised = ((await (await district.get('/api/needs?source=visit')).json()) as Need[]).find((n) => n.sourceReference === visit.id)!;
  expect(raised).toBeTruthy();
  expect(raised.buildingCode).toBe(building.code);
  expect(raised.status).toBe('open');
  const community = await userOf(district, 'community-staff', raised.gridCode.slice(0, 12));
  const staff = await apiAs(community.userName);
  const projectName = unique('光合共创·陪伴').slice(0, 16);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const planted = await staff.post('/api/projects', { data: { name: projectName, kind: 'public-service', goal: '为独居老人上门陪伴、代办',
    gridCodes: [raised.gridCode], partnerIds: [], startOn: today, endOn: null } });
  expect(planted.status(), await planted.text()).toBe(201);
  expect((await staff.post(`/api/projects/${(await planted.json()).id}/start`, { data: { on: null, participants: null, beneficiaries: null } })).ok()).toBe(true);

  // Community staff in the console: the needs from door-knocks, this household's, met by the project.
  const desk = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(desk, community.userName);
  await desk.locator('[data-test=menu-grid-affairs]').click();
  await desk.locator('[data-test=need-source-filter]').click();
  await desk.getByRole('option', { name: '入户走访' }).click();
  const row = desk.locator('[data-test=needs-table] .el-table__row', { hasText: raised.requester }).first();
  await expect(row).toContainText('入户走访');
  await expect(row).toContainText('待对接');
  await shot(desk, 'doorknock-needs-list');
  await row.click();
  const drawer = desk.locator('[data-test=need-drawer]');
  await expect(drawer).toContainText(raised.requester);
  await drawer.locator('[data-test=meet-button]').click();
  await drawer.locator('[data-test=meet-project]').click();
  await desk.getByRole('option', { name: projectName }).click();
  await drawer.locator('input[data-test=step-text]').fill('已纳入陪伴项目，每周上门两次');
  await drawer.locator('[data-test=step-submit]').click();
  await expect(drawer.locator('[data-test=need-status]')).toHaveText('已满足');
  await expect(drawer.locator('[data-test=need-project]')).toHaveText(projectName);
  await shot(desk, 'doorknock-need-met');
  await drawer.locator('.el-drawer__close-btn').click();
  await expect(desk.locator('[data-test=needs-table] .el-table__row', { hasText: raised.requester }).first()).toContainText('已满足');

  // The liaison who knocked reads the need as met by the project.
  const seen = ((await (await liaison.get('/api/needs?source=visit')).json()) as Need[]).find((n) => n.id === raised.id)!;
  expect(seen.status).toBe('met');
  expect(seen.projectName).toBe(projectName);
  await desk.close();
  await context.close();
});
