// SMS that is really sent: the server talks to a fake Alibaba Cloud SMS (e2e/fake-sms.mjs, started by scripts/test-web.sh)
// that checks every signature itself and records what it sent. An anonymous reporter verifies the phone with the code the
// fake received, reports, and gets the public steps by SMS; a call typed in by staff shows no follow link, the caller
// gets it by SMS, and the staff member cannot rate the case with it while the caller can.
import { readFileSync } from 'node:fs';
import { test, expect, request, type APIRequestContext } from '@playwright/test';
import { apiAs, baseURL, caseAs, demoPlace, fillReport, leaderOf, photo as photoPath, phoneContext, shot, signInOnPhone, unique } from './helpers';
import { signIn } from './console-helpers';

const fakeSms = process.env.CIVICGRID_FAKE_SMS_URL ?? 'http://127.0.0.1:9';

interface Sent { phone: string; templateCode: string; params: Record<string, string>; outId: string }

async function sentTo(number: string, template: string): Promise<Sent[]> {
  const all = (await (await fetch(`${fakeSms}/_fake/sent`)).json()) as Sent[];
  return all.filter((s) => s.phone === number && s.templateCode === template);
}

async function waitForSms(number: string, template: string, count = 1): Promise<Sent[]> {
  let found: Sent[] = [];
  await expect.poll(async () => (found = await sentTo(number, template)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
  return found;
}

const newPhone = () => `139${String(Math.floor(10_000_000 + Math.random() * 89_999_999))}`;

test('an anonymous reporter verifies the phone with the SMS code, reports, and receives the public steps by SMS', async ({ browser }) => {
  const admin = await apiAs('district');
  const place = await demoPlace(admin, 160);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  const number = newPhone();
  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');
  await expect(page.locator('[data-test=phone] input')).toHaveAttribute('placeholder', '请输入手机号（选填）');

  await fillReport(page, unique('路灯不亮 短信 e2e-'));
  await page.locator('[data-test=phone] input').fill(number);
  await page.locator('[data-test=submit]').click();
  await expect(page.locator('[data-test=error]')).toContainText('手机号验证');

  await page.locator('[data-test=get-code]').click();
  await expect(page.locator('[data-test=get-code]')).toContainText('秒后重新获取');
  const [codeSms] = await waitForSms(number, 'SMS_100001');
  await page.locator('[data-test=sms-code] input').fill(codeSms!.params.code === '000000' ? '111111' : '000000');
  await page.locator('[data-test=confirm-code]').click();
  await expect(page.locator('[data-test=sms-error]')).toContainText('验证码不正确，还可以再试 4 次');
  await shot(page, 'phone-report-code-wrong');
  await page.locator('[data-test=sms-code] input').fill(codeSms!.params.code!);
  await page.locator('[data-test=confirm-code]').click();
  await expect(page.locator('[data-test=phone-verified]')).toContainText('已验证');
  await shot(page, 'phone-report-verified');

  await page.locator('[data-test=submit]').click();
  const caseNumber = (await page.locator('[data-test=case-number]').textContent())?.trim() ?? '';
  expect(caseNumber).toMatch(/^\d{13}$/);

  // 已收到, then 已受理 once the leader accepts: each reaches the provider as one SMS with the case number.
  const leader = await apiAs(await leaderOf(admin, place.thirdCode));
  const state = await caseAs(leader, caseNumber);
  expect((await leader.post(`/api/cases/${caseNumber}/accept`, { data: { expectedVersion: state.version } })).status()).toBe(200);
  const steps = await waitForSms(number, 'SMS_100002', 2);
  expect(steps.every((s) => s.params.number === caseNumber)).toBe(true);
  expect(steps.map((s) => s.params.text).join()).toContain('受理');
  await context.close();
});

test('a call typed in by staff shows no follow link; the caller gets it by SMS; the staff member cannot rate the case with it', async ({ page, browser }) => {
  const staff = await apiAs('community01');
  const places = (await (await staff.get(`/api/places?text=${encodeURIComponent('号楼')}`)).json()) as { kind: string; address: string }[];
  const building = places.find((p) => p.kind === 'building')!;
  const caller = newPhone();

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-entry]').click();
  await page.locator('input[name=callerName]').fill('李阿姨');
  await page.locator('input[name=phone]').fill(caller);
  await page.locator('input[name=place]').fill(building.address);
  await page.locator('.el-autocomplete-suggestion li').first().click();
  await page.locator('input[name=place]').press('Tab');
  await page.keyboard.type('E0101');
  await page.keyboard.press('Enter');
  await page.locator('textarea[name=description]').fill(unique('来电：楼下垃圾没人清运 短信 e2e-'));
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await page.locator('textarea[name=description]').press('Enter');
  const created = await (await answer).json();
  expect(created.followToken).toBeNull();
  const number = (await page.locator('[data-test=new-number]').textContent())!.trim();
  expect(number).toBe(created.number);
  await expect(page.locator('main')).not.toContainText('#token=');
  await shot(page, 'console-entry-no-follow-link');

  const [link] = await waitForSms(caller, 'SMS_100003');
  expect(link!.params.number).toBe(number);
  const url = new URL(link!.params.link!);
  expect(url.pathname).toBe(`/m/mine/${number}`);
  const token = url.hash.replace('#token=', '');

  // The grid leader handles it; the caller (anonymous, with the token) verifies the result.
  const detail = await caseAs(staff, number);
  const admin = await apiAs('district');
  const leaderName = await leaderOf(admin, detail.gridCode.slice(0, 16));
  const leader = await apiAs(leaderName);
  const me = await (await leader.get('/api/auth/me')).json();
  let version = (await caseAs(leader, number)).version;
  const act = async (api: APIRequestContext, verb: string, data: object) => {
    const response = await api.post(`/api/cases/${number}/${verb}`, { data: { expectedVersion: version, ...data } });
    expect(response.status(), await response.text()).toBe(200);
    version = (await response.json()).version;
  };
  await act(leader, 'accept', {});
  await act(leader, 'assign', { userId: me.id, departmentId: null, due: null });
  await act(leader, 'start-handling', {});
  const photos = await (await leader.post(`/api/cases/${number}/photos`, {
    multipart: { photos: { name: 'done.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photoPath) } },
  })).json();
  await act(leader, 'record-handled', { note: '已清运', photoIds: [photos[0].id] });
  const anonymous = await request.newContext({ baseURL, extraHTTPHeaders: { 'Follow-Token': token } });
  const verified = await anonymous.post(`/api/track/${number}/verify`, { data: { expectedVersion: version, passed: true } });
  expect(verified.status(), await verified.text()).toBe(200);

  // The staff member who typed the call in opens the caller's link while signed in: no rating.
  const staffPhone = await phoneContext(browser);
  const staffPage = await staffPhone.newPage();
  await signInOnPhone(staffPage, 'community01', /:\d+\/$/); // community staff land on the console
  await staffPage.goto(`/m/mine/${number}#token=${token}`);
  await expect(staffPage.locator('[data-test=status]')).toHaveText('已核查');
  await expect(staffPage.locator('.van-rate')).toHaveCount(0);
  await shot(staffPage, 'phone-track-staff-no-rating');
  const leaderRates = await leader.post(`/api/track/${number}/evaluate`, { data: { expectedVersion: version + 1, rating: 5 }, headers: { 'Follow-Token': token } });
  expect(leaderRates.status()).toBe(403);
  expect((await leaderRates.json()).detail).toBe('代为登记或处置过该案件的工作人员不能核查或评价该案件。');

  // The caller, with the same link, may rate it.
  const callerPhone = await phoneContext(browser);
  const callerPage = await callerPhone.newPage();
  await callerPage.goto(`/m/mine/${number}#token=${token}`);
  await expect(callerPage.locator('.van-rate')).toBeVisible();
  await shot(callerPage, 'phone-track-caller-rates');
  await staffPhone.close();
  await callerPhone.close();
});
