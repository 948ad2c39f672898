// A new subdistrict set up from nothing, in Production mode (issue 16): a second server that scripts/test-web.sh starts
// with an empty database, no demo and two-step verification required, after the operator ran `users create-admin` three
// times (one role each). Everything after that happens in the console, as the people would do it:
//   1. the security admin signs in, sets up the authenticator at the first sign-in, and saves the recovery codes;
//   2. the system admin does the same, imports the subdistrict's grid file (codes as the statistics bureau publishes them)
//      and creates the subdistrict's urban-management department;
//   3. the security admin creates a community staff member and the department's liaison;
//   4. the system admin sinks the liaison into the third-level grid (条块下网);
//   5. the community staff member signs in (authenticator, then their own password), enters a phone call as a case and
//      dispatches it to the department;
//   6. the liaison signs in (own password) and finds the case in the inbox;
//   7. the audit admin signs in and finds all of it in the security audit trail, whose chain verifies.
// Screenshots: artifacts/screenshots/setup-*.png (the closing note of issue 16 walks through them).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { shot } from './helpers';
import { enrolAuthenticator } from './totp';

const fresh = process.env.CIVICGRID_FRESH_URL;
/** The password the operator gave `users create-admin` (scripts/test-web.sh). */
const adminPassword = process.env.CIVICGRID_FRESH_PASSWORD ?? '';

test.skip(!fresh, 'needs the empty Production server scripts/test-web.sh starts (CIVICGRID_FRESH_URL)');
test.use({ baseURL: fresh, viewport: { width: 1440, height: 900 } });
test.describe.configure({ mode: 'serial' });

// The subdistrict: 西安市雁塔区 (610113), an invented 示范新区街道 (610113090) with one community, one 2nd-level and one
// 3rd-level grid, a micro-grid, a compound and a building. District and subdistrict codes as published (12 digits).
const codes = {
  district: '610113000000',
  subdistrict: '610113090000',
  community: '610113090001',
  second: '61011309000101',
  third: '6101130900010101',
  micro: '610113090001010101',
  compound: '6101130900010001',
  building: '61011309000100001',
};
const names = { subdistrict: '示范新区街道', community: '翠华社区', third: '翠华社区第一网格', department: '示范新区街道综合执法中队' };
const address = '翠华路 88 号院 1 号楼';
const people = {
  staff: { userName: 'liu.fang', displayName: '刘芳', first: 'Cuihua-First-01#', own: 'Cuihua-Lu-2026#' },
  liaison: { userName: 'zhao.lei', displayName: '赵磊', first: 'Zhifa-First-02#', own: 'Zhifa-Dui-2026#' },
};

function gridFile(): string {
  const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
  const area = box(108.95, 34.2, 108.97, 34.215);
  const feature = (code: string, name: string, level: string, geometry: object, extra: Record<string, unknown> = {}) =>
    ({ type: 'Feature', geometry, properties: { code, name, level, ...extra } });
  const file = join(mkdtempSync(join(tmpdir(), 'civicgrid-setup-')), 'shifanxinqu-grids.geojson');
  writeFileSync(file, JSON.stringify({
    type: 'FeatureCollection',
    features: [
      feature(codes.district, '雁塔区', 'district', area),
      feature(codes.subdistrict, names.subdistrict, 'subdistrict', area, { parentCode: codes.district }),
      feature(codes.community, names.community, 'community', area, { parentCode: codes.subdistrict }),
      feature(codes.second, '翠华社区第一片区', 'grid-2', area, { parentCode: codes.community }),
      feature(codes.third, names.third, 'grid-3', area, { parentCode: codes.second }),
      feature(codes.micro, '翠华路 88 号院微网格', 'micro', area, { parentCode: codes.third }),
      feature(codes.compound, '翠华路 88 号院', 'compound', box(108.955, 34.205, 108.96, 34.21), { address: '翠华路 88 号院' }),
      feature(codes.building, '1 号楼', 'building', { type: 'Point', coordinates: [108.957, 34.207] },
        { address, compoundCode: codes.compound, floors: 6, households: 24 }),
    ],
  }));
  return file;
}

/** A person's own browser (their own cookies), at the sign-in page. */
async function browserOf(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: fresh, viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto('/login');
  return page;
}

async function typePassword(page: Page, userName: string, password: string) {
  await page.locator('input[name=userName]').fill(userName);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The first sign-in of an account that needs two-step verification: password, then setting up the authenticator. */
async function firstSignInWithEnrolment(page: Page, userName: string, password: string, shotPrefix?: string) {
  await typePassword(page, userName, password);
  await expect(page.getByText('设置两步验证')).toBeVisible();
  await enrolAuthenticator(page, shotPrefix ? (name) => shot(page, `${shotPrefix}-${name}`) : undefined);
}

/** The first password was an administrator's: the person sets their own before anything else opens. */
async function changeFirstPassword(page: Page, current: string, own: string) {
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.locator('[data-test=password-required]')).toBeVisible();
  await page.locator('[data-test=pw-current]').fill(current);
  await page.locator('[data-test=pw-next]').fill(own);
  await page.locator('[data-test=pw-repeat]').fill(own);
  await page.locator('[data-test=pw-save]').click();
}

/** Picks a grid in the account form's scope picker by what its label ends with, e.g. “翠华社区（社区）”. */
async function pickScope(page: Page, label: string) {
  await page.locator('.el-select[data-test=scope-picker]').click();
  await page.keyboard.type(label);
  await page.locator('.el-tree-node__content:visible', { hasText: label }).first().click();
}

let securityAdmin: Page;
let systemAdmin: Page;
let caseNumber = '';

test('1. the security admin sets up the authenticator at the first sign-in', async ({ browser }) => {
  securityAdmin = await browserOf(browser);
  await firstSignInWithEnrolment(securityAdmin, 'sec-admin', adminPassword, 'setup-01-security-admin');
  await expect(securityAdmin).toHaveURL(/\/users$/);
  // An empty installation: the three administrators and nobody else; no case pages in the menu.
  await expect(securityAdmin.locator('[data-test=menu-search]')).toHaveCount(0);
  await expect(securityAdmin.locator('.el-table__row')).toHaveCount(3);
  await shot(securityAdmin, 'setup-01-security-admin-accounts');
});

test('2. the system admin imports the grids and creates the department', async ({ browser }) => {
  systemAdmin = await browserOf(browser);
  await firstSignInWithEnrolment(systemAdmin, 'sys-admin', adminPassword, 'setup-02-system-admin');
  await expect(systemAdmin).toHaveURL(/\/organisations$/);
  await expect(systemAdmin.locator('[data-test=org-save]')).toHaveCount(0);

  // The grid file: checked first (a dry run by default), then imported.
  await systemAdmin.locator('[data-test=menu-grid-import]').click();
  await systemAdmin.locator('[data-test=grid-file] input[type=file]').setInputFiles(gridFile());
  await systemAdmin.locator('[data-test=grid-import]').click();
  await expect(systemAdmin.locator('[data-test=grid-import-result]')).toContainText('检查通过');
  await systemAdmin.locator('[data-test=grid-dry-run]').click();
  await systemAdmin.locator('[data-test=grid-import]').click();
  const result = systemAdmin.locator('[data-test=grid-import-result]');
  await expect(result).toContainText('导入完成');
  await expect(result).toContainText('网格 新建 6');
  await expect(systemAdmin.locator('[data-test=normalised-subdistrict-code]')).toContainText('610113090000 → 610113090');
  await shot(systemAdmin, 'setup-02-system-admin-grid-import');

  // The department, serving the whole subdistrict (picked by name from the tree just imported).
  await systemAdmin.locator('[data-test=menu-organisations]').click();
  await systemAdmin.locator('[data-test=add-organisation]').click();
  const dialog = systemAdmin.locator('[data-test=organisation-dialog]');
  await dialog.locator('input[name=name]').fill(names.department);
  await dialog.locator('[data-test=org-scope]').click();
  await systemAdmin.getByRole('option', { name: names.subdistrict, exact: true }).click();
  await dialog.locator('input[name=contactPhone]').fill('029-85550110');
  await shot(systemAdmin, 'setup-02-system-admin-department');
  await dialog.locator('[data-test=org-save]').click();
  await expect(dialog).toBeHidden();
  const row = systemAdmin.locator('[data-test=table-department] tr', { hasText: names.department });
  await expect(row).toContainText(names.subdistrict);
  await expect(row.locator('[data-test=org-state]')).toHaveText('在用');
});

test('3. the security admin creates the community staff member and the department liaison', async () => {
  const page = securityAdmin;
  await page.reload();
  async function create(person: { userName: string; displayName: string; first: string }, role: string, scopeLabel: string, organisation?: string) {
    await page.locator('[data-test=user-create]').click();
    await page.locator('[data-test=f-userName]').fill(person.userName);
    await page.locator('[data-test=f-displayName]').fill(person.displayName);
    await page.locator('[data-test=f-roles]').click();
    await page.locator(`[data-test=role-${role}]`).click();
    await page.keyboard.press('Escape');
    await pickScope(page, scopeLabel);
    if (organisation) {
      await page.locator('[data-test=f-organisation]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: organisation }).click();
    }
    await page.locator('[data-test=f-password]').fill(person.first);
    await page.locator('[data-test=f-save]').click();
    await expect(page.locator('[data-test=f-save]')).toBeHidden();
    await expect(page.locator(`[data-test="status-${person.userName}"]`)).toHaveText('正常');
  }
  await create(people.staff, 'community-staff', `${names.community}（社区）`);
  await create(people.liaison, 'department-liaison', `${names.subdistrict}（街道）`, names.department);
  await shot(page, 'setup-03-security-admin-staff-created');
});

test('4. the system admin sinks the liaison into the third-level grid', async () => {
  const page = systemAdmin;
  await page.reload();
  await page.locator('[data-test=table-department] tr', { hasText: names.department }).locator('[data-test=org-liaisons]').click();
  const drawer = page.locator('[data-test=liaisons-drawer]');
  await expect(drawer.locator('[data-test=liaisons-table]')).toContainText(people.liaison.displayName);
  await drawer.locator('[data-test^=set-grids-]').first().click();
  const grids = page.locator('[data-test=grids-dialog]');
  await grids.locator('[data-test=grids-picker]').click();
  await page.keyboard.type('第一网格');
  await page.locator('.el-tree-node__content:visible', { hasText: names.third }).locator('.el-checkbox').click();
  await grids.locator('.el-dialog__title').click(); // close the picker's list
  await grids.locator('[data-test=grids-save]').click();
  await expect(grids).toBeHidden();
  await expect(drawer.locator('[data-test=current-grid]').first()).toContainText(names.third);
  await shot(page, 'setup-04-system-admin-liaison-grids');
  await page.context().close();
});

test('5. the community staff member enters a phone call as a case and dispatches it to the department', async ({ browser }) => {
  const page = await browserOf(browser);
  // Community staff may reveal personal data: the authenticator is required, then the first password is replaced.
  await firstSignInWithEnrolment(page, people.staff.userName, people.staff.first, 'setup-05-community-staff');
  await changeFirstPassword(page, people.staff.first, people.staff.own);
  await expect(page.locator('[data-test=inbox]')).toBeVisible();
  await expect(page.getByText(`管辖范围：${names.community}`)).toBeVisible();

  await page.locator('[data-test=menu-entry]').click();
  await expect(page.locator('input[name=callerName]')).toBeFocused();
  await page.keyboard.type('王阿姨');
  await page.keyboard.press('Tab');
  await page.keyboard.type('13700002222');
  await page.keyboard.press('Tab');
  await page.keyboard.type('翠华路 88');
  // The compound and its building both match: the building is picked from the suggestions.
  await page.locator('.el-autocomplete-suggestion li', { hasText: address }).first().click();
  await expect(page.locator('[data-test=picked]')).toContainText(address);
  await page.keyboard.press('Tab');
  await page.keyboard.type('G0101');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('楼下商户占用消防通道堆放杂物，协商不成，请执法中队处理');
  await shot(page, 'setup-05-community-staff-entry');
  await page.keyboard.press('Enter');
  const number = page.locator('[data-test=new-number]');
  await expect(number).toHaveText(/^\d{13}$/);
  caseNumber = (await number.textContent())!.trim();
  // Routed by the building to its micro-grid; the community owns a neighbour dispute.
  await expect(page.locator('[data-test=entry-done]')).toContainText('翠华路 88 号院微网格');
  await expect(page.locator('[data-test=entry-done]')).toContainText(`已转${names.community}处理`);

  // Accept, then dispatch to the department: every liaison of it may then handle the case.
  await page.goto(`/cases/${caseNumber}`);
  await page.locator('[data-test=action-accept]').click();
  await page.locator('[data-test=dialog-accept] [data-test=action-submit]').click();
  await expect(page.locator('[data-test=action-assign]')).toBeVisible();
  await page.locator('[data-test=action-assign]').click();
  const dialog = page.locator('[data-test=dialog-assign]');
  await dialog.locator('[data-test=assign-to] label', { hasText: '交给职能部门' }).click();
  await dialog.locator('[data-test=department]').click();
  await page.locator('.el-select-dropdown__item', { hasText: names.department }).first().click();
  await shot(page, 'setup-05-community-staff-dispatch');
  await dialog.locator('[data-test=action-submit]').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-test=case-status]')).toHaveText('已交办');
  await expect(page.locator('[data-test=case-detail]')).toContainText(names.department);
  await shot(page, 'setup-05-community-staff-dispatched');
  await page.context().close();
});

test('6. the liaison signs in with their own password and finds the case', async ({ browser }) => {
  const page = await browserOf(browser);
  // A liaison reveals no personal data: password only (two-step verification is optional for them).
  await typePassword(page, people.liaison.userName, people.liaison.first);
  await changeFirstPassword(page, people.liaison.first, people.liaison.own);
  await expect(page.locator('[data-test=inbox]')).toBeVisible();
  const row = page.locator('.el-table__row', { hasText: caseNumber });
  await expect(row).toBeVisible();
  await shot(page, 'setup-06-liaison-inbox');
  await row.getByText(caseNumber).click();
  await expect(page.locator('[data-test=case-number]')).toHaveText(caseNumber);
  await expect(page.locator('[data-test=action-start-handling]')).toBeVisible();
  // Personal data stays masked for the liaison.
  await expect(page.locator('[data-test=reporter]')).toContainText('137****2222');
  await expect(page.locator('[data-test=reveal]')).toHaveCount(0);
  await shot(page, 'setup-06-liaison-case');
  await page.context().close();
});

test('7. the audit admin finds the set-up in the security audit trail, and its chain verifies', async ({ browser }) => {
  const page = await browserOf(browser);
  await firstSignInWithEnrolment(page, 'audit-admin', adminPassword);
  await expect(page).toHaveURL(/\/security-events$/);
  const events = page.locator('[data-test=audit-events]');
  // Named, not coded: the file and its counts, the department, the people and the grid the liaison was sunk into.
  for (const text of ['运维命令创建管理员', '设置两步验证', '文件“shifanxinqu-grids.geojson”已导入：网格新建 6', `新建部门“${names.department}”`,
    `创建账户“${people.staff.displayName}”`, `下沉人员“${people.liaison.displayName}”的网格`, names.third, '本人修改密码']) {
    await expect(events).toContainText(text);
  }
  await page.locator('[data-test=audit-verify]').click();
  await expect(page.locator('[data-test=audit-chain]')).toContainText('审计日志完整');
  await shot(page, 'setup-07-audit-admin-trail');
  await securityAdmin.context().close();
  await page.context().close();
});
