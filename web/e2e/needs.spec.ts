// 三张清单与认领 in the console, three stories: community staff record a need, see the resources suggested for it and match
// one, plant a project in the need's grid that meets it; a courtyard council's follow-up becomes a need; an ownerless
// compound is claimed by a red property company.
import { test, expect, type Page } from '@playwright/test';
import { optionsOf, signIn } from './console-helpers';
import { apiAs, shot, signInOnPhone, unique } from './helpers';

/** Picks a grid by its name in a GridPicker (names, not codes). */
async function pickGrid(page: Page, scope: ReturnType<Page['locator']>, name: string) {
  await scope.locator('[data-test=grid-picker] input').first().fill(name);
  await page.getByRole('option', { name: `${name}（三级网格）` }).click();
}

/** Picks the n-th compound offered for the grid just picked. */
async function pickCompound(page: Page, scope: ReturnType<Page['locator']>) {
  await (await optionsOf(page, scope.locator('[data-test=compound-picker]').first())).first().click();
}

/** The demo third-level grid these stories take place in, seen by community01. */
async function demoThird() {
  const staff = await apiAs('community01');
  const thirds = (await (await staff.get('/api/grids?level=grid-3')).json()) as { code: string; name: string }[];
  return { staff, third: thirds.find((g) => g.code.startsWith('610103099001'))! };
}

test('staff record a need, match a resource, plant a project that meets it', async ({ page }) => {
  // Forty steps and two full-page screenshots of long tables: on a loaded 2-core CI machine it took 95 s of 90.
  test.setTimeout(180_000);
  const { staff, third } = await demoThird();
  const volunteer = unique('助老志愿者').slice(0, 14);
  const created = await staff.post('/api/resources', { data: { kind: 'volunteer', name: volunteer, gridCode: third.code, offers: ['elderly-care'], availability: '每周二下午' } });
  expect(created.status()).toBe(201);

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-grid-affairs]').click();
  await expect(page.locator('[data-test=needs-table] .el-table__row').first()).toBeVisible();
  await shot(page, 'needs-list');

  // Record a need at a compound of the grid.
  const description = unique('独居老人需要每周送餐').slice(0, 24);
  await page.locator('[data-test=need-add]').click();
  const dialog = page.locator('[data-test=need-dialog]');
  await dialog.locator('textarea[data-test=need-description]').fill(description);
  await dialog.locator('input[data-test=need-requester]').fill('3号楼独居老人');
  await pickGrid(page, dialog, third.name);
  await pickCompound(page, dialog);
  await dialog.locator('[data-test=need-save]').click();

  // Its suggested resources: the volunteer offering elderly care; match them.
  const drawer = page.locator('[data-test=need-drawer]');
  await expect(drawer).toContainText(description);
  const matches = drawer.locator('[data-test=matches-table]');
  await expect(matches).toContainText(volunteer);
  await shot(page, 'need-matches');
  await matches.locator('.el-table__row', { hasText: volunteer }).locator('[data-test=match-button]').click();
  await expect(drawer.locator('[data-test=need-status]')).toHaveText('已对接');
  await drawer.locator('.el-drawer__close-btn').click();

  // Plant a project in the need's grid and start it.
  const project = unique('光合共创·助餐').slice(0, 16);
  await page.getByRole('tab', { name: '项目清单' }).click();
  await page.locator('[data-test=project-add]').click();
  const projectDialog = page.locator('[data-test=project-dialog]');
  await projectDialog.locator('input[data-test=project-name]').fill(project);
  await projectDialog.locator('textarea[data-test=project-goal]').fill('为独居老人每周送餐两次');
  await projectDialog.locator('[data-test=project-grids] input').first().fill(third.name);
  await page.getByRole('option', { name: `${third.name}（三级网格）` }).click();
  await projectDialog.locator('[data-test=project-save]').click();
  const projectDrawer = page.locator('[data-test=project-drawer]');
  await expect(projectDrawer.locator('[data-test=project-status]')).toHaveText('筹备中');
  await projectDrawer.locator('[data-test=project-start]').click();
  await expect(projectDrawer.locator('[data-test=project-status]')).toHaveText('实施中');
  await projectDrawer.locator('.el-drawer__close-btn').click();

  // The project meets the need.
  await page.getByRole('tab', { name: '需求清单' }).click();
  await page.locator('[data-test=needs-table] .el-table__row', { hasText: description }).click();
  await drawer.locator('[data-test=meet-button]').click();
  await drawer.locator('[data-test=meet-project]').click();
  await page.getByRole('option', { name: project }).click();
  await drawer.locator('input[data-test=step-text]').fill('已纳入助餐项目，每周二、五送餐');
  await drawer.locator('[data-test=step-submit]').click();
  await expect(drawer.locator('[data-test=need-status]')).toHaveText('已满足');
  await expect(drawer.locator('[data-test=need-project]')).toHaveText(project);
  await drawer.locator('.el-drawer__close-btn').click();
  await page.getByRole('tab', { name: '项目清单' }).click();
  await page.locator('[data-test=projects-table] .el-table__row', { hasText: project }).click();
  await expect(projectDrawer.locator('[data-test=project-needs]')).toContainText(description);
  await shot(page, 'project-needs-met');
});

test('a courtyard council is recorded and its follow-up becomes a need', async ({ page }) => {
  const { staff, third } = await demoThird();
  await signIn(page, 'community01');
  await page.locator('[data-test=menu-grid-affairs]').click();

  // A courtyard council whose follow-up becomes a need.
  const followUp = unique('为楼道安装扶手').slice(0, 20);
  await page.getByRole('tab', { name: '楼院议事会' }).click();
  await page.locator('[data-test=council-add]').click();
  const councilDialog = page.locator('[data-test=council-dialog]');
  await pickGrid(page, councilDialog, third.name);
  await pickCompound(page, councilDialog);
  await councilDialog.locator('input[data-test=council-place]').fill('院内议事亭');
  await councilDialog.locator('input[data-test=participant-0]').fill('王秀兰');
  await councilDialog.locator('input[data-test=participant-1]').fill('赵建国');
  await councilDialog.locator('input[data-test=topic-0]').fill('楼道老人上下楼不便');
  await councilDialog.locator('input[data-test=decision-0]').fill('申请为楼道安装扶手');
  await councilDialog.locator('[data-test=followup-add]').click();
  await councilDialog.locator('input[data-test=followup-0]').fill(followUp);
  await councilDialog.locator('[data-test=council-save]').click();
  await expect(councilDialog).toBeHidden();
  await expect(page.locator('[data-test=councils-table]')).toContainText('楼道老人上下楼不便');
  await shot(page, 'councils');
  const fromCouncil = (await (await staff.get('/api/needs?source=council')).json()) as { description: string; status: string }[];
  expect(fromCouncil.find((n) => n.description === followUp)?.status).toBe('open');
  await page.reload();
  await expect(page.locator('[data-test=needs-table]')).toContainText(followUp);
});

test('an ownerless compound is claimed by a red property company for a year', async ({ page }) => {
  await signIn(page, 'community01');
  await page.locator('[data-test=menu-grid-affairs]').click();

  // An ownerless compound is claimed by a red property company for a year.
  await page.getByRole('tab', { name: '认领' }).click();
  const row = page.locator('[data-test=ownerless-table] .el-table__row', { hasText: '未认领' }).first();
  const compoundName = (await row.locator('td').first().innerText()).trim();
  await row.locator('[data-test=claim-button]').click();
  const claimDialog = page.locator('[data-test=claim-dialog]');
  const claimers = await optionsOf(page, claimDialog.locator('[data-test=claimer]'));
  const company = (await claimers.first().innerText()).trim();
  await claimers.first().click();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const dates = claimDialog.locator('.el-date-editor input');
  await dates.nth(0).fill(today);
  await dates.nth(0).press('Enter');
  await dates.nth(1).fill(nextYear);
  await dates.nth(1).press('Enter');
  await claimDialog.locator('textarea[data-test=claim-commitments]').fill('每周保洁两次，每月安全巡查一次');
  await claimDialog.locator('[data-test=claim-save]').click();
  await expect(claimDialog).toBeHidden();
  const claimed = page.locator('[data-test=ownerless-table] .el-table__row', { hasText: compoundName }).first();
  await expect(claimed.locator('[data-test=current-claim]')).toContainText(company);
  await expect(page.locator('[data-test=claims-table]')).toContainText(compoundName);
  await shot(page, 'claims');
});

test('a volunteer sees the needs of their micro-grid on the phone and records one in three taps', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await signInOnPhone(page, 'micro01', /\/m\/tasks/);
  await page.locator('[data-test=home-needs]').click();
  await expect(page).toHaveURL(/\/m\/needs/);
  const before = await page.locator('[data-test=phone-needs] .van-cell').count();
  await page.locator('[data-test=need-kind-repair]').click();
  await page.locator('[data-test=need-who-aloneElderly]').click();
  await page.locator('[data-test=need-urgent]').click();
  await page.locator('[data-test=need-record]').click();
  await expect(page.locator('[data-test=phone-needs] .van-cell')).toHaveCount(before + 1);
  await expect(page.locator('[data-test=phone-needs]')).toContainText('独居老人需要维修帮办');
  await shot(page, 'phone-needs');
  const volunteer = await apiAs('micro01');
  const mine = (await (await volunteer.get('/api/needs?status=open&kind=repair')).json()) as { description: string; urgency: string }[];
  expect(mine.some((n) => n.description === '独居老人需要维修帮办' && n.urgency === 'urgent')).toBe(true);
});
