// Accounts and the security audit (issue 16): the security admin creates an account within the rules and resets a
// password; the person signs in with the one-time password and must change it first; a deactivated user is thrown out
// of an open console; the audit admin reads the trail and verifies its chain. Administrators see no case pages.
import { expect, test } from '@playwright/test';
import { apiAs, shot } from './helpers';
import { signIn, signOut } from './console-helpers';

const newPassword = 'Lanhua-Lu-77#';

test('the security admin creates an operator, resets the password, and the operator must change it before anything else', async ({ page, browser }) => {
  const userName = `e2e-ops-${Date.now().toString(36)}`;
  await signIn(page, 'secadmin');
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.locator('[data-test=menu-search]')).toHaveCount(0); // no case pages for an administrator
  await shot(page, 'console-accounts-list');

  await page.locator('[data-test=user-create]').click();
  await page.locator('[data-test=f-userName]').fill(userName);
  await page.locator('[data-test=f-displayName]').fill('王值班');
  await page.locator('[data-test=f-roles]').click();
  await page.locator('[data-test=role-subdistrict-operator]').click();
  await page.keyboard.press('Escape');
  // A community is the wrong level for an operator: the rule is shown in Chinese and nothing is created.
  await page.locator('.el-select[data-test=scope-picker]').click();
  await page.keyboard.type('（社区）');
  await page.locator('.el-tree-node__content:visible', { hasText: '（社区）' }).first().click();
  await page.locator('[data-test=f-password]').fill(newPassword);
  await page.locator('[data-test=f-save]').click();
  await expect(page.locator('[data-test=form-error]')).toContainText('街道城运中心值班员的管辖范围须为街道');
  await shot(page, 'console-accounts-rule-refused');
  await page.locator('.el-select[data-test=scope-picker]').click();
  await page.keyboard.type('（街道）');
  await page.locator('.el-tree-node__content:visible', { hasText: '（街道）' }).first().click();
  await page.locator('[data-test=f-save]').click();
  await expect(page.locator('[data-test=f-save]')).toBeHidden();
  await page.locator('[data-test=user-search]').fill(userName);
  await page.locator('[data-test=user-search]').press('Enter');
  await expect(page.locator(`[data-test=status-${userName}]`)).toHaveText('正常');

  await page.locator(`[data-test=reset-${userName}]`).click();
  await page.getByRole('button', { name: /OK|确定/ }).click();
  const oneTime = (await page.locator('[data-test=one-time-password]').textContent())!.trim();
  expect(oneTime.length).toBeGreaterThanOrEqual(12);
  await shot(page, 'console-accounts-one-time-password');
  await page.locator('[data-test=one-time-done]').click();

  const context = await browser.newContext();
  const operator = await context.newPage();
  await operator.goto('/login');
  await operator.locator('input[name=userName]').fill(userName);
  await operator.locator('input[name=password]').fill(oneTime);
  await operator.getByRole('button', { name: '登录' }).click();
  await expect(operator.locator('[data-test=password-required]')).toBeVisible();
  await operator.goto('/cases');
  await expect(operator).toHaveURL(/\/account\/password$/); // nothing else opens until the password is changed
  await operator.locator('[data-test=pw-current]').fill(oneTime);
  await operator.locator('[data-test=pw-next]').fill('P@ssw0rd2026');
  await operator.locator('[data-test=pw-repeat]').fill('P@ssw0rd2026');
  await operator.locator('[data-test=pw-save]').click();
  await expect(operator.locator('[data-test=pw-error]')).toContainText('常见');
  await shot(operator, 'console-password-change-required');
  await operator.locator('[data-test=pw-next]').fill(newPassword);
  await operator.locator('[data-test=pw-repeat]').fill(newPassword);
  await operator.locator('[data-test=pw-save]').click();
  await expect(operator.locator('[data-test=inbox]')).toBeVisible();
  await context.close();
});

test('a deactivated user is thrown out of an open console, and the audit admin finds it in the verified trail', async ({ page, browser }) => {
  const secadmin = await apiAs('secadmin');
  const userName = `e2e-leaver-${Date.now().toString(36)}`;
  const grids = (await (await secadmin.get('/api/grids?level=subdistrict')).json()) as { code: string }[];
  const created = await secadmin.post('/api/users', { data: { userName, displayName: '李离职', roles: ['subdistrict-operator'], scopeCode: grids[0]!.code, password: newPassword } });
  expect(created.status()).toBe(201);

  const context = await browser.newContext();
  const leaver = await context.newPage();
  await leaver.goto('/login');
  await leaver.locator('input[name=userName]').fill(userName);
  await leaver.locator('input[name=password]').fill(newPassword);
  await leaver.getByRole('button', { name: '登录' }).click();
  // The first password was the security admin's: changed first, then the console opens.
  await expect(leaver).toHaveURL(/\/account\/password$/);
  await leaver.locator('[data-test=pw-current]').fill(newPassword);
  await leaver.locator('[data-test=pw-next]').fill('Lanhua-Lu-78#');
  await leaver.locator('[data-test=pw-repeat]').fill('Lanhua-Lu-78#');
  await leaver.locator('[data-test=pw-save]').click();
  await expect(leaver.locator('[data-test=inbox]')).toBeVisible();

  await signIn(page, 'secadmin');
  await page.locator('[data-test=user-search]').fill(userName);
  await page.locator('[data-test=user-search]').press('Enter');
  await page.locator(`[data-test=deactivate-${userName}]`).click();
  await page.getByRole('button', { name: /OK|确定/ }).click();
  await expect(page.locator(`[data-test=status-${userName}]`)).toHaveText('已停用');

  await leaver.locator('[data-test=menu-search]').click();
  await expect(leaver).toHaveURL(/\/login\?ended=1/);
  await expect(leaver.locator('[data-test=session-ended]')).toBeVisible();
  await shot(leaver, 'console-session-ended');
  await context.close();

  await signOut(page);
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'auditor');
  await expect(page).toHaveURL(/\/security-events$/);
  await page.locator('[data-test=audit-actor]').fill('secadmin');
  await page.locator('[data-test=audit-search]').click();
  await expect(page.locator('[data-test=audit-events]')).toContainText('停用账户');
  await expect(page.locator('[data-test=audit-events]')).toContainText(userName);
  await page.locator('[data-test=audit-verify]').click();
  await expect(page.locator('[data-test=audit-chain]')).toContainText('审计日志完整');
  await shot(page, 'console-security-events');
});
