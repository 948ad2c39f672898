// The residents' WeChat end in Chromium with WeChat's user agent, against the fake WeChat official account that
// scripts/test-web.sh starts (tests/CivicGrid.FakeWeChat): the report link signs the resident in by WeChat, the report
// uses WeChat's position (GCJ-02, labelled so) and photo picker (the fake's JS-SDK shim), the fake receives a template
// message at each public step as staff move the case, and the 消息 tab shows the unread count and the list.
import { test, expect, request, type APIRequestContext } from '@playwright/test';
import { apiAs, caseAs, demoPlace, leaderOf, photo, shot, unique, userOf } from './helpers';
import { readFileSync } from 'node:fs';

const fakeWeChat = process.env.CIVICGRID_FAKE_WECHAT_URL ?? 'http://127.0.0.1:5090';
const weChatAgent = 'Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN';

/** WGS-84 → GCJ-02, the published forward formula (inside China): what WeChat's getLocation answers for the point. */
function toGcj02(lon: number, lat: number): { lon: number; lat: number } {
  const a = 6378245.0;
  const ee = 0.00669342162296594323;
  const x = lon - 105.0;
  const y = lat - 35.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLat += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLat += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLon += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLon += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - ee * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lon: lon + dLon, lat: lat + dLat };
}

interface SentTemplate { toUser: string; templateId: string; url: string | null; data: Record<string, string>; msgId: number }

async function messagesFor(fake: APIRequestContext, number: string): Promise<SentTemplate[]> {
  const all = (await (await fake.get('/fake/messages')).json()) as SentTemplate[];
  return all.filter((m) => m.url?.endsWith(`/m/mine/${number}`));
}

test('inside WeChat a resident is signed in by WeChat, reports with its position and photos, and hears of every public step', async ({ browser, baseURL }) => {
  const admin = await apiAs('district');
  const place = await demoPlace(admin, 160);
  const leader = await leaderOf(admin, place.thirdCode);
  const fake = await request.newContext({ baseURL: fakeWeChat });
  const gcj = toGcj02(place.lon, place.lat);
  expect((await fake.post(`/fake/location?longitude=${gcj.lon}&latitude=${gcj.lat}`)).status()).toBe(204);

  const context = await browser.newContext({
    viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: weChatAgent,
  });
  const page = await context.newPage();

  // The report link: WeChat's authorisation (the fake's, silent for snsapi_base) and back, signed in.
  await page.goto('/m/report');
  await expect(page).toHaveURL(/\/m\/report$/);
  await expect(page.locator('[data-test=tab-messages]')).toBeVisible();
  await expect(page.locator('[data-test=wechat-locate]')).toBeVisible();
  // WeChat's position, asked for as GCJ-02 and labelled so; the server converts it and names the grid.
  await expect(page.locator('[data-test=position-crs]')).toContainText('GCJ-02');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');
  const located = await (await page.request.get(`/api/geo/locate?lon=${gcj.lon}&lat=${gcj.lat}&crs=gcj02&accuracy=15`)).json();
  expect(located.grid.code).toBe(place.microCode);

  await page.locator('[data-test=wechat-photos]').click();
  await expect(page.locator('img[src^="blob:"]')).toHaveCount(1);
  await page.getByRole('button', { name: '公用设施' }).click();
  await page.getByRole('button', { name: '路灯损坏' }).click();
  const description = unique('微信上报 路灯不亮 e2e-');
  await page.locator('[data-test=description] textarea').fill(description);
  // Signed in: no phone number asked for.
  await expect(page.locator('[data-test=phone]')).toHaveCount(0);
  await shot(page, 'phone-wechat-report-filled');
  await page.locator('[data-test=submit]').click();
  const number = (await page.locator('[data-test=case-number]').textContent())?.trim() ?? '';
  expect(number).toMatch(/^\d{13}$/);
  await shot(page, 'phone-wechat-report-receipt');

  // The case is the resident's (their account), with the WeChat photo, in the grid of the place.
  const me = await (await page.request.get('/api/auth/me')).json();
  expect(me.roles).toEqual(['resident']);
  const asLeader = await apiAs(leader);
  let state = await caseAs(asLeader, number);
  expect(state.photoIds.length).toBe(1);
  expect(state.gridCode.startsWith(place.thirdCode)).toBe(true);

  // 已收到 reaches WeChat.
  await expect.poll(async () => (await messagesFor(fake, number)).map((m) => m.templateId), { timeout: 30_000 }).toEqual(['tpl-received']);

  // Staff move the case: accept, take it, handle it with a photo; the community verifies.
  state = await (await asLeader.post(`/api/cases/${number}/accept`, { data: { expectedVersion: state.version } })).json();
  state = await (await asLeader.post(`/api/cases/${number}/assign`, { data: { expectedVersion: state.version, userId: (await (await asLeader.get('/api/auth/me')).json()).id, departmentId: null, due: null } })).json();
  state = await (await asLeader.post(`/api/cases/${number}/start-handling`, { data: { expectedVersion: state.version } })).json();
  const uploaded = await asLeader.post(`/api/cases/${number}/photos`, {
    multipart: { photos: { name: 'handled.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) } },
  });
  expect(uploaded.status(), await uploaded.text()).toBeLessThan(300);
  const photoIds = ((await uploaded.json()) as { id: string }[]).map((p) => p.id);
  state = await (await asLeader.post(`/api/cases/${number}/record-handled`, { data: { expectedVersion: state.version, note: '已更换灯泡', photoIds } })).json();
  expect(state.status).toBe('handled');
  const community = await apiAs((await userOf(admin, 'community-staff', place.thirdCode.slice(0, 12))).userName);
  const verified = await community.post(`/api/cases/${number}/verify`, { data: { expectedVersion: state.version, passed: true, note: null } });
  expect(verified.status()).toBe(200);

  await expect.poll(async () => (await messagesFor(fake, number)).map((m) => m.templateId).sort(), { timeout: 30_000 })
    .toEqual(['tpl-accepted', 'tpl-handled', 'tpl-received', 'tpl-verify']);

  // The 消息 tab: the unread count, the list newest first, the case opens; all read clears the badge.
  await page.goto('/m/messages');
  const badge = page.locator('[data-test=tab-messages] .van-badge');
  await expect(badge).toBeVisible();
  const unread = Number(await badge.textContent());
  expect(unread).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-test=notification]').first()).toContainText('核查');
  await shot(page, 'phone-wechat-messages');
  await page.locator('[data-test=notification]').first().click();
  await expect(page).toHaveURL(new RegExp(`/m/mine/${number}$`));
  await expect(page.locator('.van-rate')).toBeVisible();
  await page.locator('.van-rate__item').nth(4).click();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('您的评分：5 星')).toBeVisible();
  state = await caseAs(asLeader, number);
  expect(state.status).toBe('evaluated');
  const closed = await asLeader.post(`/api/cases/${number}/close`, { data: { expectedVersion: state.version } });
  expect(closed.status(), await closed.text()).toBe(200);
  await expect.poll(async () => (await messagesFor(fake, number)).map((m) => m.templateId).sort(), { timeout: 30_000 })
    .toEqual(['tpl-accepted', 'tpl-closed', 'tpl-handled', 'tpl-received', 'tpl-verify']);
  const sent = await messagesFor(fake, number);
  expect(sent.find((m) => m.templateId === 'tpl-closed')!.data.phrase2).toBe('已办结');
  expect(sent.every((m) => m.url === `${baseURL}/m/mine/${number}`)).toBe(true);

  await page.goto('/m/messages');
  await expect(page.locator('[data-test=mark-all-read]')).toBeVisible();
  await page.locator('[data-test=mark-all-read]').click();
  await expect(page.locator('[data-test=tab-messages] .van-badge')).toHaveCount(0);
  await shot(page, 'phone-wechat-messages-read');

  // 我的消息设置: WeChat bound, on; turning it off is kept.
  await page.goto('/m/messages/settings');
  await expect(page.locator('[data-test=channels]')).toContainText('微信');
  await shot(page, 'phone-wechat-settings');
  await page.locator('[data-test=channel-wechat]').click();
  await expect.poll(async () => (await (await page.request.get('/api/notifications/channels')).json())[0]?.optedOut).toBe(true);

  await context.close();
});
