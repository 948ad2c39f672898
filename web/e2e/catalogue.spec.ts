// The case catalogue page: staff read which kinds count round the clock (fire, flooding, public safety: natural hours,
// nights and holidays included); the system admin adds a kind with a natural-time limit, is told per field what is wrong,
// and changes it to working days.
import { test, expect } from '@playwright/test';
import { apiAs, shot } from './helpers';
import { signIn } from './console-helpers';

test('staff read the time limits, the urgent kinds marked round the clock, and cannot edit', async ({ page }) => {
  await signIn(page, 'ops');
  await page.locator('[data-test=menu-categories]').click();
  const table = page.locator('[data-test=category-table]');
  await expect(table.locator('[data-test=limit-E0403]')).toHaveText('1 个自然小时');
  await expect(table.locator('[data-test=limit-E0101]')).toHaveText('4 个工作小时');
  await expect(table.locator('[data-test=limit-G0101]')).toHaveText('10 个工作日');
  await expect(table.locator('tr', { has: page.locator('[data-test=limit-E0403]') })).toContainText('全天候');
  await expect(page.locator('[data-test=add-category]')).toHaveCount(0);

  await page.locator('[data-test=only-natural]').click();
  // The standard catalogue's urgent kinds: 突发事件 (4), a fallen tree, 治安巡防 (2).
  await expect(table.locator('tbody tr')).toHaveCount(7);
  await expect(table).toContainText('火灾隐患报警');
  await expect(table).not.toContainText('暴露垃圾');
  await shot(page, 'console-categories');
});

test('the system admin adds a kind counted in natural hours, fixes what the server refused, and moves it to working days', async ({ page }) => {
  const admin = await apiAs('admin');
  const code = `E05${50 + Math.floor(Math.random() * 40)}`;
  await signIn(page, 'admin');
  await page.locator('[data-test=menu-categories]').click();
  await page.locator('[data-test=add-category]').click();
  const dialog = page.locator('[data-test=category-dialog]');
  await dialog.locator('input[name=code]').fill(code);
  // The major class's name comes with the code's first three characters.
  await expect(dialog.locator('input[name=majorName]')).toHaveValue('街面秩序');
  await dialog.locator('[data-test=time-limit-unit]').click();
  await page.locator('[data-test=unit-natural-hours]:visible').click();
  await expect(dialog.locator('[data-test=unit-help]')).toContainText('夜间、周末和节假日照常计时');
  await dialog.locator('input[name=timeLimit]').fill('6');

  // No name: the server's Chinese sentence stands under the field.
  await dialog.locator('[data-test=category-save]').click();
  await expect(dialog.locator('[data-test=category-error]')).toContainText('请按提示修改');
  await expect(dialog).toContainText('请填写类别名称。');
  await dialog.locator('input[name=name]').fill('窨井冒溢');
  await dialog.locator('[data-test=category-save]').click();
  await expect(dialog).toBeHidden();
  const row = page.locator('[data-test=category-table] tr', { has: page.locator(`[data-test=limit-${code}]`) });
  await expect(row.locator(`[data-test=limit-${code}]`)).toHaveText('6 个自然小时');
  await expect(row).toContainText('全天候');
  await shot(page, 'console-category-added');

  await page.locator(`[data-test=edit-category-${code}]`).click();
  await expect(dialog.locator('input[name=code]')).toBeDisabled();
  await dialog.locator('[data-test=time-limit-unit]').click();
  await page.locator('[data-test=unit-working-days]:visible').click();
  await dialog.locator('input[name=timeLimit]').fill('2');
  await dialog.locator('[data-test=category-save]').click();
  await expect(dialog).toBeHidden();
  await expect(row.locator(`[data-test=limit-${code}]`)).toHaveText('2 个工作日');
  await expect(row).not.toContainText('全天候');

  const stored = ((await (await admin.get('/api/categories')).json()) as { code: string; timeLimit: number; timeLimitUnit: string; countsNaturalTime: boolean }[])
    .find((c) => c.code === code)!;
  expect([stored.timeLimit, stored.timeLimitUnit, stored.countsNaturalTime]).toEqual([2, 'working-days', false]);
});
