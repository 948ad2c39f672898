// Two-factor sign-in and volunteers' QR sign-in in the browser: an administrator sets up an authenticator on the account
// page and signs in with a code computed here (RFC 6238 with node's crypto); a community staff member shows a volunteer's
// sign-in QR code, the volunteer's phone opens it, lands in the elder-friendly pages and reaches the report page; the
// phone is then revoked from the console and is signed out at once.
import { expect, test } from '@playwright/test';
import { apiAs, demoPlace, password, phoneContext, shot, unique } from './helpers';
import { signIn, signOut } from './console-helpers';
import { enrolAuthenticator, stepNow, totp } from './totp';

test('an administrator sets up two-step verification and signs in with a code from the authenticator', async ({ page }) => {
  // A fresh administrator (the demo's stay password-only for the other specs).
  const security = await apiAs('secadmin');
  const userName = unique('e2e-admin-');
  // A security administrator: the system administrator's home (organisations) is not on this branch yet.
  const created = await security.post('/api/users', { data: { userName, displayName: '测试安全管理员', roles: ['security-admin'], scopeCode: '', password } });
  expect(created.status()).toBe(201);
  // An administrator role waits for a second administrator's approval (separation of duties).
  const approver = await apiAs('admin');
  const grants = (await (await approver.get('/api/role-grants')).json()) as { id: string; userName: string; status: string }[];
  const grant = grants.find((g) => g.userName === userName && g.status === 'pending')!;
  expect((await approver.post(`/api/role-grants/${grant.id}/approve`, { data: { note: 'e2e' } })).ok()).toBe(true);

  // The first password was the security admin's: it is changed before anything else.
  const own = 'Yanta-Lu-2026#';
  await signIn(page, userName);
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.locator('[data-test=pw-current]').fill(password);
  await page.locator('[data-test=pw-next]').fill(own);
  await page.locator('[data-test=pw-repeat]').fill(own);
  await page.locator('[data-test=pw-save]').click();
  await expect(page).toHaveURL(/\/users$/);
  await page.locator('[data-test=menu-account]').click();
  await expect(page.locator('[data-test=second-factor-state]')).toContainText('未开启');
  await page.locator('[data-test=start-enrol]').click();
  // Ten recovery codes, shown once; going on needs the "saved" confirmation (enrolAuthenticator checks both).
  const { secret, step: enrolStep } = await enrolAuthenticator(page, (name) => shot(page, name === 'enrol' ? 'console-2fa-enrol' : 'console-2fa-recovery-codes'));
  await expect(page.locator('[data-test=second-factor-state]')).toContainText('已开启');

  // Sign out and in again: the password, then the code (a later step than the enrolment's: a code works once).
  await signOut(page);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('[data-test=login-form]')).toBeVisible();
  await page.locator('input[name=userName]').fill(userName);
  await page.locator('input[name=password]').fill(own);
  await page.getByRole('button', { name: '登录' }).click();
  const codeInput = page.locator('[data-test=second-factor-code]');
  await expect(codeInput).toBeFocused();
  await expect(page.locator('[data-test=use-recovery]')).toBeVisible();
  await codeInput.fill('000000');
  await page.locator('[data-test=second-factor-submit]').click();
  await expect(page.locator('[data-test=second-factor] .el-alert')).toContainText('验证码不正确');
  await shot(page, 'console-2fa-code-step');
  await codeInput.fill(totp(secret, Math.max(stepNow(), enrolStep + 1)));
  await page.locator('[data-test=second-factor-submit]').click();
  await expect(page.locator('[data-test=menu]')).toBeVisible();
  await expect(page.locator('[data-test=who]')).toContainText('测试安全管理员');
});

test('a volunteer signs in on the phone by the QR code community staff show, and is signed out when the phone is revoked', async ({ page, browser }) => {
  const staffApi = await apiAs('community01');
  const volunteers = (await (await staffApi.get('/api/volunteers')).json()) as { id: string; userName: string; displayName: string; scopeCode: string; isActive: boolean }[];
  const volunteer = volunteers.find((v) => v.isActive)!;
  const place = await demoPlace(await apiAs('admin'), 0, volunteer.scopeCode);

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-volunteers]').click();
  await page.locator(`[data-test=issue-${volunteer.userName}]`).click();
  await expect(page.locator('[data-test=sign-in-qr] img')).toBeVisible();
  await expect(page.locator('[data-test=countdown]')).toContainText(/[0-9]:[0-5][0-9] 后失效/);
  const box = await page.locator('[data-test=sign-in-qr] img').boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(300); // scannable from a screen
  await shot(page, 'console-volunteer-sign-in-qr');
  const url = (await page.locator('[data-test=sign-in-url]').getAttribute('href'))!;
  expect(url).toContain('/m/sign-in#code=');

  // The volunteer's phone opens the scanned address: signed in, greeted in large type, one button to the day's work.
  const phoneCtx = await phoneContext(browser, place);
  const phone = await phoneCtx.newPage();
  await phone.goto(url);
  await expect(phone.locator('[data-test=sign-in-done]')).toContainText(volunteer.displayName);
  expect(phone.url()).not.toContain('code=');
  await expect(phone.locator('html')).toHaveClass(/elder/);
  await shot(phone, 'phone-volunteer-signed-in');
  await phone.locator('[data-test=sign-in-start]').click();
  await expect(phone).toHaveURL(/\/m\/tasks$/);

  // The elder-friendly report page, as the volunteer, with nothing to type.
  await phone.locator('[data-test=quick-report]').click();
  await expect(phone.locator('[data-test=receiver]')).toContainText('将由');
  await expect(phone.locator('[data-test=quick-description]')).toHaveCount(0);
  await shot(phone, 'phone-volunteer-report');

  // 我的: this phone's sign-in.
  await phone.goto('/m/mine');
  await expect(phone.locator('[data-test=device-state]')).toContainText('已登录');

  // The same code does not work twice.
  const again = await phone.request.post('/api/auth/trusted-device', { data: { code: url.split('#code=')[1], useCookie: false } });
  expect(again.status()).toBe(401);
  expect((await again.json()).detail).toContain('用过');

  // Community staff revoke the phone: its next request is refused.
  await page.getByRole('button', { name: '关闭', exact: true }).click();
  const row = page.locator('.el-table__row', { hasText: volunteer.displayName }).first();
  await row.locator('.el-table__expand-icon').click();
  await page.locator(`[data-test=devices-${volunteer.userName}] [data-test=revoke-device]`).first().click();
  await page.getByRole('button', { name: /OK|确定/ }).click();
  await expect(page.locator(`[data-test=devices-${volunteer.userName}]`)).toContainText('已撤销');
  await shot(page, 'console-volunteer-device-revoked');
  expect((await phone.request.get('/api/auth/me')).status()).toBe(401);
  await phoneCtx.close();
});
