// The grid-worker roster in the console: community staff add a volunteer, assign them to a vacant micro-grid picked
// from the tree by name, see the history, the vacancies on the map, an import with bad rows refused row by row (nothing
// stored), and the turnover table; the operations centre reads the roster without changing it.
import { test, expect } from '@playwright/test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signIn } from './console-helpers';
import { apiAs, shot, unique } from './helpers';

const randomPhone = () => `137${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;

test('community staff keep the roster: add, assign from the tree, vacancies map, import errors, turnover', async ({ page }) => {
  const staff = await apiAs('community01');
  const vacancies = (await (await staff.get('/api/roster/vacancies')).json()) as { gridCode: string; gridName: string; level: string }[];
  const vacant = vacancies.find((v) => v.level === 'micro')!;
  const before = ((await (await staff.get('/api/roster/members?status=all')).json()) as unknown[]).length;

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-roster]').click();
  await expect(page.locator('[data-test=members] .el-table__row').first()).toBeVisible();

  // Add a volunteer without a grid, then assign the vacant micro-grid found by its name in the tree.
  const name = unique('志愿者').slice(0, 12);
  await page.locator('[data-test=add-member]').click();
  await page.locator('input[data-test=form-name]').fill(name);
  await page.locator('input[data-test=form-phone]').fill(randomPhone());
  await page.locator('[data-test=form-save]').click();
  const drawer = page.locator('[data-test=member-detail]');
  await expect(drawer).toContainText(name);
  await drawer.locator('[data-test=assign]').click();
  const dialog = page.locator('[data-test=action-dialog]');
  await dialog.locator('[data-test=grid-picker] input').fill(vacant.gridName);
  await page.getByRole('option', { name: `${vacant.gridName}（微网格）` }).click();
  await dialog.locator('[data-test=action-save]').click();
  await expect(drawer.locator('[data-test=history] .el-table__row')).toHaveCount(1);
  await expect(drawer.locator('[data-test=history]')).toContainText(vacant.gridName);
  await shot(page, 'roster-member');
  await drawer.locator('.el-drawer__close-btn').click();

  // The grid is no longer vacant; the rest are listed and drawn on the map.
  await page.getByRole('tab', { name: '空缺网格' }).click();
  await expect(page.locator('[data-test=vacancy-count]')).toContainText(`共 ${vacancies.length - 1} 个网格`);
  await expect(page.locator('[data-test=vacancy-map]')).toHaveAttribute('data-loaded', 'true');
  await expect(page.locator('[data-test=vacancies]')).not.toContainText(vacant.gridName);
  await shot(page, 'roster-vacancies');

  // An import with a bad row: every error listed, nothing stored.
  const dir = mkdtempSync(join(tmpdir(), 'roster-'));
  const csv = join(dir, '名单.csv');
  writeFileSync(csv, `姓名,人员类别,手机号码,年龄段,所属社区,网格,到岗日期,登录账号\n王秀英,微网格员,${randomPhone()},60-69岁,,,2026-03-01,\n李强,队长,12,,,,,\n`);
  await page.getByRole('tab', { name: 'Excel 导入' }).click();
  await page.locator('[data-test=import-file] input[type=file]').setInputFiles(csv);
  await page.locator('[data-test=import-upload]').click();
  await expect(page.locator('[data-test=import-error]')).toContainText('未导入任何人员');
  const errors = page.locator('[data-test=import-errors]');
  await expect(errors).toContainText('人员类别');
  await expect(errors).toContainText('手机号码');
  await expect(errors).toContainText('年龄段');
  await shot(page, 'roster-import-errors');
  const after = ((await (await staff.get('/api/roster/members?status=all')).json()) as unknown[]).length;
  expect(after).toBe(before + 1);

  await page.getByRole('tab', { name: '队伍流动' }).click();
  await expect(page.locator('[data-test=turnover] .el-table__row').first()).toBeVisible();
  await expect(page.locator('[data-test=turnover]')).toContainText('%');
  await shot(page, 'roster-turnover');
});

test('the operations centre reads the roster and cannot change it', async ({ page }) => {
  await signIn(page, 'ops');
  await page.locator('[data-test=menu-roster]').click();
  await expect(page.locator('[data-test=members] .el-table__row').first()).toBeVisible();
  await expect(page.locator('[data-test=add-member]')).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Excel 导入' })).toHaveCount(0);
  await page.locator('[data-test=filter-kind]').click();
  await page.getByRole('option', { name: '网格长' }).click();
  await expect(page.locator('[data-test=members]')).toContainText('网格长');
  await expect(page.locator('[data-test=members]')).not.toContainText('微网格员');
});
