// Training and work IDs in the console: the demo's courses and sessions, the expired work IDs listed for renewal, a
// work ID issued to a member who passed (attendance and scores entered on the page), printed as a card with its QR code.
import { test, expect } from '@playwright/test';
import { signIn } from './console-helpers';
import { apiAs, shot, unique } from './helpers';

test('expired IDs are listed; a member who passed gets a work ID printed as a card with its QR', async ({ page }) => {
  // A new member of community01, put on both required sessions through the API's roster; scores are entered on the page.
  const staff = await apiAs('community01');
  const thirds = (await (await staff.get('/api/grids?level=grid-3')).json()) as { code: string }[];
  const name = unique('学员').slice(0, 10);
  const created = await staff.post('/api/roster/members', {
    data: { kind: 'full-time-worker', name, phone: `136${Math.floor(10_000_000 + Math.random() * 89_999_999)}`, ageBand: '40-59', gridCode: thirds[4]!.code },
  });
  expect(created.status()).toBe(201);

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-training]').click();
  await expect(page.locator('[data-test=courses]')).toContainText('网格员政策法规与工作职责培训');
  await page.getByRole('tab', { name: '培训场次' }).click();
  const sessions = page.locator('[data-test=sessions] .el-table__row');
  await expect(sessions).toHaveCount(4);
  await shot(page, 'training-sessions');

  // The two recent sessions (newest first): mark the new member present with a passing score.
  for (const index of [0, 1]) {
    await sessions.nth(index).click();
    const dialog = page.locator('[data-test=attendance-dialog]');
    await dialog.locator('[data-test=attendee-pick] input').fill(name);
    await page.getByRole('option', { name: new RegExp(name) }).click();
    await dialog.locator('[data-test=attendee-add]').click();
    const row = dialog.locator('[data-test=attendance] .el-table__row', { hasText: name });
    await row.locator('.el-input-number input').fill('92');
    await dialog.locator('[data-test=attendance-save]').click();
    await expect(dialog).toBeHidden();
  }

  await page.getByRole('tab', { name: '工作证' }).click();
  const eligible = page.locator('[data-test=eligible] .el-table__row', { hasText: name });
  await eligible.locator('[data-test=issue]').click();
  await expect(page.locator('.el-message--success', { hasText: '已办理工作证' })).toBeVisible();

  await page.locator('[data-test=id-status]').getByText('已过期').click();
  const expired = page.locator('[data-test=work-ids] .el-table__row');
  await expect(expired.first()).toContainText('已过期');
  await shot(page, 'training-expired-ids');

  await page.locator('[data-test=id-status]').getByText('有效').click();
  const mine = page.locator('[data-test=work-ids] .el-table__row', { hasText: name });
  await expect(mine).toContainText('有效');
  await mine.locator('[data-test=print]').click();
  const card = page.locator('[data-test=work-id-card]');
  await expect(card).toContainText('网格员工作证');
  await expect(page.locator('[data-test=card-name]')).toHaveText(name);
  await expect(page.locator('[data-test=card-number]')).toHaveText(/^610103099\d{8}$/);
  await expect(page.locator('[data-test=card-qr]')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('[data-test=print-card]')).toBeHidden();
  await shot(page, 'training-work-id-card');
});
