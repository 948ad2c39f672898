// The organisation register (issue 16): the system admin creates a department under a district department, picking the
// region from the grid tree by name, sees it in the list, edits it and retires it (with a confirmation), after which the
// list hides it unless retired ones are asked for; a department's liaisons show the grids they were sunk into.
import { test, expect } from '@playwright/test';
import { shot, unique } from './helpers';
import { signIn } from './console-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test('the system admin creates a department, sees it in the list, edits it and retires it', async ({ page }) => {
  const name = unique('示范街道网格执法队');
  const renamed = `${name}（已调整）`;

  await signIn(page, 'admin');
  await page.locator('[data-test=menu-organisations]').click();
  const departments = page.locator('[data-test=table-department]');
  await expect(departments).toContainText('西安市公安局碑林分局');

  // Create: the region is picked from the tree by its name, the parent from the departments.
  await page.locator('[data-test=add-organisation]').click();
  const dialog = page.locator('[data-test=organisation-dialog]');
  await dialog.locator('input[name=name]').fill(name);
  await dialog.locator('[data-test=org-scope]').click();
  await page.getByRole('option', { name: '示范街道', exact: true }).click();
  await dialog.locator('[data-test=org-parent]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '碑林区城市管理和综合执法局' }).click();
  await dialog.locator('input[name=contactPhone]').fill('029-87651234');
  await shot(page, 'console-organisation-create');
  await dialog.locator('[data-test=org-save]').click();
  await expect(dialog).toBeHidden();

  const row = departments.locator('tr', { hasText: name });
  await expect(row).toContainText('示范街道');
  await expect(row).toContainText('碑林区城市管理和综合执法局');
  await expect(row).toContainText('029-87651234');
  await expect(row.locator('[data-test=org-state]')).toHaveText('在用');

  // Edit the name.
  await row.locator('[data-test=org-edit]').click();
  await expect(dialog.locator('input[name=name]')).toHaveValue(name);
  await dialog.locator('input[name=name]').fill(renamed);
  await dialog.locator('[data-test=org-save]').click();
  await expect(dialog).toBeHidden();
  const edited = departments.locator('tr', { hasText: renamed });
  await expect(edited).toBeVisible();

  // A department's liaisons: the demo police station's liaison is sunk into grids.
  await departments.locator('tr', { hasText: '碑林分局示范街道派出所' }).locator('[data-test=org-liaisons]').click();
  const drawer = page.locator('[data-test=liaisons-drawer]');
  await expect(drawer.locator('[data-test=current-grid]').first()).toContainText('起');
  await shot(page, 'console-organisation-liaisons');
  // The admin opens the liaison's grids (the current ones are preselected) and keeps them.
  await drawer.locator('[data-test^=set-grids-]').first().click();
  const grids = page.locator('[data-test=grids-dialog]');
  await expect(grids.locator('.el-tag').first()).toBeVisible();
  await grids.locator('[data-test=grids-save]').click();
  await expect(grids).toBeHidden();
  await expect(drawer.locator('[data-test=current-grid]').first()).toContainText('起');
  await drawer.locator('.el-drawer__close-btn').click();
  await expect(drawer).toBeHidden();

  // Retire, confirmed; gone from the list, back with "show retired", marked retired.
  await edited.locator('[data-test=org-toggle]').click();
  const confirm = page.locator('.el-message-box');
  await expect(confirm).toContainText('停用');
  await confirm.getByRole('button', { name: '停用' }).click();
  await expect(departments.locator('tr', { hasText: renamed })).toHaveCount(0);
  await page.locator('[data-test=filter-retired]').click();
  const retired = departments.locator('tr', { hasText: renamed });
  await expect(retired.locator('[data-test=org-state]')).toHaveText('已停用');
  await shot(page, 'console-organisations');
});
