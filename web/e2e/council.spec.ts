// 居民议事会评议 (双评): community staff put a resident on the council from the console, show the sign-in QR code, ask them to
// evaluate a 3rd-level grid for the open month; the member's phone opens the code, lands on the elder-friendly evaluation
// page, taps stars and a phrase and submits; the console's progress counts the score (never showing what was given).
// Branch activities: staff record one, it counts once its sign-in sheet is uploaded.
import { expect, test } from '@playwright/test';
import { apiAs, phoneContext, photo, shot, unique } from './helpers';
import { signIn } from './console-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

/** The month whose evaluation is open today (the default form opens 20 days before a period's end and closes 15 days after). */
function openMonth(): string {
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const y = beijing.getUTCFullYear();
  const m = beijing.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const month = beijing.getUTCDate() >= lastDay - 20 ? new Date(Date.UTC(y, m, 1)) : new Date(Date.UTC(y, m - 1, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

async function thirdGridOfCommunity01(): Promise<{ code: string; name: string }> {
  const grids = (await (await (await apiAs('community01')).get('/api/grids')).json()) as { code: string; name: string; level: string }[];
  return grids.filter((g) => g.level === 'grid-3').sort((a, b) => a.code.localeCompare(b.code))[1];
}

test('a council member is added and signed in by QR code, scores an assigned grid on the phone, and the progress counts it', async ({ page, browser }) => {
  const grid = await thirdGridOfCommunity01();
  const name = unique('议事');
  const period = openMonth();

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-council]').click();
  await expect(page.locator('[data-test=council-members] .el-table__row').first()).toBeVisible();
  await page.locator('[data-test=council-add]').click();
  await page.locator('input[data-test=council-name]').fill(name);
  await page.locator('input[data-test=council-phone]').fill(`139${String(Date.now()).slice(-8)}`);
  // The term began with the month being evaluated.
  await page.locator('[data-test=council-term-from] input').fill(`${period}-01`);
  await page.locator('[data-test=council-term-from] input').press('Enter');
  await page.locator('[data-test=council-form] [data-test=grid-picker] input').fill(grid.name);
  await page.getByRole('option', { name: `${grid.name}（三级网格）` }).click();
  await page.locator('[data-test=council-save]').click();
  const row = page.locator('[data-test=council-members] .el-table__row', { hasText: name });
  await expect(row).toContainText('楼院长');
  await expect(row).toContainText(/1\d{2}\*{4}\d{4}/);
  await shot(page, 'council-members');

  await row.locator('[data-test=council-qr]').click();
  await expect(page.locator('[data-test=council-qr-image]')).toBeVisible();
  const url = (await page.locator('[data-test=council-qr-url]').getAttribute('href'))!;
  expect(url).toContain('/m/sign-in#code=');
  await page.keyboard.press('Escape');

  // Ask them to evaluate the grid this month.
  await page.getByRole('tab', { name: '评议安排' }).click();
  await page.locator('input[data-test=council-period]').fill(period);
  await page.locator('input[data-test=council-period]').press('Enter');
  await page.locator('[data-test=council-assign-member]').click();
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.locator('.toolbar [data-test=grid-picker] input').fill(grid.name);
  await page.getByRole('option', { name: `${grid.name}（三级网格）` }).click();
  await page.locator('[data-test=council-assign]').click();
  const assignment = page.locator('[data-test=council-assignments] .el-table__row', { hasText: name });
  await expect(assignment).toContainText('未评');
  await shot(page, 'council-assignments');

  // The member's phone: the code signs it in and leads to the evaluation, big stars and phrases, nothing to type.
  const phoneCtx = await phoneContext(browser);
  const phone = await phoneCtx.newPage();
  await phone.goto(url);
  await expect(phone.locator('[data-test=sign-in-done]')).toContainText(name);
  await phone.locator('[data-test=sign-in-start]').click();
  await expect(phone).toHaveURL(/\/m\/council$/);
  await expect(phone.locator('html')).toHaveClass(/elder/);
  const card = phone.locator(`[data-test=council-grid-${grid.code}]`);
  await expect(card).toContainText(grid.name);
  await expect(phone.locator('input, textarea')).toHaveCount(0);
  await card.locator('[data-test=star-environment-4]').click();
  await card.locator('[data-test=star-mediation-5]').click();
  await card.locator('[data-test=star-service-4]').click();
  await card.locator('[data-test=phrase-0]').click();
  await shot(phone, 'phone-council-evaluation');
  await card.locator('[data-test=council-submit]').click();
  await expect(card).toContainText('已评');
  await expect(card.locator('[data-test=council-submit]')).toContainText('修改评议');

  // Staff see it counted: one of one scored, short of the quorum, and no stars of anyone's.
  await page.reload();
  await page.getByRole('tab', { name: '评议进度' }).click();
  const progressPeriod = page.locator('#pane-progress input');
  await progressPeriod.fill(period);
  await progressPeriod.press('Enter');
  const progress = page.locator('[data-test=council-progress] .el-table__row').filter({ has: page.getByText(grid.name, { exact: true }) });
  await expect(progress).toContainText('1 / 1');
  await expect(progress).toContainText('未达法定人数');
  await shot(page, 'council-progress');
  await phoneCtx.close();
});

test('staff record a branch activity, and it counts once its sign-in sheet is uploaded', async ({ page }) => {
  const grid = await thirdGridOfCommunity01();
  const title = unique('主题党日');
  await signIn(page, 'community01');
  await page.locator('[data-test=menu-branch-activities]').click();
  await page.locator('[data-test=activity-add]').click();
  const dialog = page.locator('.el-dialog', { hasText: '登记活动' });
  await dialog.locator('[data-test=grid-picker] input').fill(grid.name);
  await page.getByRole('option', { name: `${grid.name}（三级网格）` }).click();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await dialog.locator('[data-test=activity-date] input').fill(today);
  await dialog.locator('[data-test=activity-date] input').press('Enter');
  await dialog.locator('input[data-test=activity-title]').fill(title);
  await dialog.locator('[data-test=activity-save]').click();
  const row = page.locator('[data-test=activities] .el-table__row', { hasText: title });
  await expect(row).toContainText('缺佐证，不计入');
  await row.locator('[data-test=activity-photo] input[type=file]').setInputFiles(photo);
  await expect(row).toContainText('计入考核');
  await expect(row.locator('img')).toHaveCount(1);
  await shot(page, 'branch-activities');
});
