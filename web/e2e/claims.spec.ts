// Claims shown where the claimed thing is shown, and project tasks: a party member's claim of a need appears in the need's
// drawer with its commitment and fulfilment; community staff add a task to a project, a party member claims it, and its
// fulfilment (done) is recorded and shown on the task.
import { test, expect } from '@playwright/test';
import { signIn } from './console-helpers';
import { apiAs, shot, unique } from './helpers';

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('a need shows its claim; a project task is added, claimed by a party member and fulfilled', async ({ page }) => {
  const staff = await apiAs('community01');
  const thirds = (await (await staff.get('/api/grids?level=grid-3')).json()) as { code: string; name: string }[];
  const third = thirds.find((g) => g.code.startsWith('610103099001'))!;
  const member = unique('党员').slice(0, 10);
  const resource = await staff.post('/api/resources', { data: { kind: 'party-member', name: member, gridCode: third.code, offers: ['elderly-care'], availability: '周末' } });
  expect(resource.status()).toBe(201);
  const memberId = (await resource.json()).id as string;
  const description = unique('独居老人需要陪同就医').slice(0, 24);
  const need = await staff.post('/api/needs', { data: { kind: 'elderly-care', urgency: 'normal', description, requester: '5号楼独居老人', gridCode: third.code, source: 'staff' } });
  expect(need.status()).toBe(201);
  const needId = (await need.json()).id as string;
  const claim = await staff.post('/api/claims', { data: { target: 'need', reference: needId, claimerKind: 'party-member', claimerId: memberId,
    startOn: inDays(-3), endOn: inDays(60), commitments: '每月陪同就医一次' } });
  expect(claim.status()).toBe(201);
  const fulfilled = await staff.post(`/api/claims/${(await claim.json()).id}/fulfilments`, { data: { on: today, note: '陪同到社区医院复诊' } });
  expect(fulfilled.status()).toBe(200);
  const name = unique('楼道焕新').slice(0, 14);
  const project = await staff.post('/api/projects', { data: { name, kind: 'governance', goal: '清扫楼道、清理飞线', gridCodes: [third.code], startOn: inDays(-1), endOn: inDays(60) } });
  expect(project.status()).toBe(201);

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-grid-affairs]').click();

  // The need's drawer shows who claimed it, the commitment and the fulfilment.
  await page.locator('[data-test=needs-table] .el-table__row', { hasText: description }).click();
  const needDrawer = page.locator('[data-test=need-drawer]');
  const shown = needDrawer.locator('[data-test=claim-shown]');
  await expect(shown).toContainText(member);
  await expect(shown).toContainText('每月陪同就医一次');
  await expect(shown).toContainText('陪同到社区医院复诊');
  await expect(shown).toContainText('已完成');
  await shot(page, 'need-claim');
  await needDrawer.locator('.el-drawer__close-btn').click();

  // A task of the project, claimed by the party member and fulfilled.
  await page.getByRole('tab', { name: '项目清单' }).click();
  await page.locator('[data-test=projects-table] .el-table__row', { hasText: name }).click();
  const drawer = page.locator('[data-test=project-drawer]');
  await drawer.locator('input[data-test=task-name]').fill('清扫楼道');
  const day = drawer.locator('.el-date-editor input').last();
  await day.fill(inDays(3));
  await day.press('Enter');
  await drawer.locator('[data-test=task-add]').click();
  const task = drawer.locator('[data-test=project-task]', { hasText: '清扫楼道' });
  await expect(task).toContainText(inDays(3));
  await expect(task).toContainText('未认领');

  await task.locator('[data-test=task-claim]').click();
  const dialog = page.locator('[data-test=task-claim-dialog]');
  await dialog.locator('[data-test=task-claimer]').click();
  await page.getByRole('option', { name: member }).click();
  await dialog.locator('textarea[data-test=task-commitments]').fill('带两名邻居参加清扫');
  await dialog.locator('[data-test=task-claim-save]').click();
  await expect(dialog).toBeHidden();
  await expect(task.locator('[data-test=claim-shown]')).toContainText(member);
  await expect(task.locator('[data-test=claim-shown]')).toContainText('带两名邻居参加清扫');

  await task.locator('[data-test=task-fulfil]').click();
  const fulfil = page.locator('[data-test=task-fulfil-dialog]');
  await fulfil.locator('input[data-test=task-fulfil-note]').fill('清扫完成，清出杂物两车');
  await fulfil.locator('[data-test=task-fulfil-save]').click();
  await expect(fulfil).toBeHidden();
  await expect(task.locator('[data-test=claim-shown]')).toContainText('清扫完成，清出杂物两车');
  await expect(task.locator('[data-test=claim-shown]')).toContainText('已完成');
  await shot(page, 'project-task-claimed');
});
