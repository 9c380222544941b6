import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { routes } from '../../lib/infra/routes.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { order } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { recalculate } from '../support/runs.js';

/** Each test file has tables of its own, so the seeded ids can be fixed (stable screenshots). */
const GROUP = 'G-ROMASHKA';
const BASE = '2026-11-21';

/** One counted order per client: the sums spread the groups over every tier. */
const PURCHASES: [clientId: string, amount: string, date: string][] = [
  ['C-42', '300000.00', '2026-09-15'],
  ['C-43', '250000.00', '2026-11-20'], // with C-42: ГК Ромашка, 550 000 → gold
  ['C-101', '1650000.00', '2026-10-02'], // platinum
  ['C-102', '175000.00', '2026-11-10'], // silver
  ['C-103', '160000.00', '2026-10-28'], // silver
  ['C-104', '52000.00', '2026-11-18'], // bronze
  ['C-105', '61000.50', '2026-09-30'], // bronze
  ['C-106', '98000.00', '2026-11-01'], // bronze
  ['C-107', '12000.00', '2026-11-05'], // base
  ['C-108', '3500.00', '2026-08-30'], // base
];

let browser: Browser;

/** Whether the API serves a route yet (the program, simulation and report routes land with their own issues). */
const served = (method: string, path: string) => routes.some((route) => route.method === method && route.path === path);
const programRoutes = served('GET', '/admin/program') && served('PUT', '/admin/program');
const simulationRoutes = served('POST', '/admin/simulations') && served('GET', '/admin/simulations/{simulationId}') && served('GET', '/admin/simulations/{simulationId}/movers');
const reportRoutes = served('POST', '/admin/reports') && served('GET', '/admin/reports/{reportId}') && served('GET', '/admin/reports/{reportId}/rows');

/** A fresh tab at the console's address, at a given width. */
async function openConsole(width = 1280, height = 860): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${testStack().url}/console`);
  return page;
}

/** Evaluates an expression in the page (a string: this file is type-checked without the DOM library). */
const inPage = <T = string | null>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;

async function signIn(page: Page, token: string = DEV_SECRETS.ADMIN_TOKEN): Promise<void> {
  await page.getByLabel(/Токен администратора|Admin token/).fill(token);
  await page.keyboard.press('Enter');
}

/** Spaces as a person reads them: Intl separates groups with no-break spaces. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

beforeAll(async () => {
  const stack = testStack();
  await postWebhook(stack, 'groups', { groups: [{ groupId: GROUP, name: 'ГК Ромашка', contacts: ['buyer@romashka.example'], version: 1 }] });
  await postWebhook(stack, 'clients', {
    clients: [
      { clientId: 'C-42', name: 'Ромашка Опт', groupId: GROUP, version: 1 },
      { clientId: 'C-43', name: 'Ромашка Логистик', groupId: GROUP, version: 1 },
    ],
  });
  await postWebhook(stack, 'orders', {
    orders: PURCHASES.map(([clientId, amount, date], index) => order({ orderId: `O-${index}`, clientId, date, amount })),
  });
  await recalculate(stack, BASE);
  // A second night: one more order lifts C-107 to bronze, and C-108's order has left the window.
  await postWebhook(stack, 'orders', { orders: [order({ orderId: 'O-late', clientId: 'C-107', date: '2026-11-22', amount: '40000.00' })] });
  await recalculate(stack, '2026-11-29');
  if (served('PUT', '/admin/groups/{groupId}/floor')) {
    // An anchor client's floor, for the group screen (the next run would apply it; no run follows here).
    const floor = await fetch(`${stack.url}/admin/groups/${GROUP}/floor`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tierId: 'platinum', until: '2027-01-31', note: 'anchor client' }),
    });
    expect(floor.status).toBe(200);
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('manager console in Chromium', () => {
  it('asks for the admin token, refuses a wrong one, and opens the overview with the right one', async () => {
    const page = await openConsole();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Вход|Sign in/);
    await page.screenshot({ path: screenshotPath('sign-in-1280') });
    await signIn(page, 'not-the-admin-token');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/не подошёл|not accepted/);
    await signIn(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Распределение по уровням');
    expect(await inPage(page, "sessionStorage.getItem('tier-console.token')")).toBe(DEV_SECRETS.ADMIN_TOKEN);
    await page.close();
  });

  it('shows the distribution /admin/overview gives, in Russian by default and in English on the switch', async () => {
    const { body: overview } = await getJson(testStack(), '/admin/overview', DEV_SECRETS.ADMIN_TOKEN);
    expect(overview.asOf).toBe('2026-11-29');
    const page = await openConsole();
    await signIn(page);
    const row = (tierId: string) => page.locator(`tr[data-tier="${tierId}"]`);
    await row('gold').waitFor();
    const roubles = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });
    for (const tier of overview.tiers) {
      expect(Number(plain(await row(tier.id).locator('[data-field="groups"]').textContent()).replace(/\s/g, ''))).toBe(tier.groups);
      expect(plain(await row(tier.id).locator('[data-field="sum90d"]').textContent())).toBe(plain(roubles.format(tier.sum90d)));
      expect(plain(await row(tier.id).locator('[data-field="discountCost"]').textContent())).toBe(plain(roubles.format(tier.discountCost)));
    }
    expect(overview.tiers.map((tier: any) => tier.groups)).toEqual([1, 4, 2, 1, 1]);
    expect(plain(await row('gold').locator('[data-field="sum90d"]').textContent())).toBe('550 000,00 ₽');
    expect(plain(await row('bronze').locator('[data-field="discountCost"]').textContent())).toBe('5 260,01 ₽'); // 2% of each of 52 000, 61 000,50, 98 000, 52 000
    expect(await page.locator('tr[data-run]').count()).toBe(2);
    expect(await page.locator('figure.chart [role="img"]').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('overview-1280'), fullPage: true });

    await page.getByLabel(/Язык|Language/).selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tier distribution');
    expect(plain(await row('gold').locator('[data-field="sum90d"]').textContent())).toBe('RUB 550,000.00');
    expect(await inPage(page, 'document.documentElement.lang')).toBe('en');
    await page.close();
  });

  it('fits a 390 px phone without sideways scrolling', async () => {
    const page = await openConsole(390, 844);
    await signIn(page);
    await page.locator('tr[data-tier="gold"]').waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('overview-390'), fullPage: true });
    await page.close();
  });

  it('looks a group up from the keyboard alone: status, members and history', async () => {
    const page = await openConsole();
    await signIn(page);
    await page.locator('tr[data-tier="gold"]').waitFor();
    // The token outlives a reload of the tab; the reloaded page starts the Tab order from the top.
    await page.reload();
    await page.locator('tr[data-tier="gold"]').waitFor();
    // Tab order: skip link, then the navigation; Enter follows the "Group" link.
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('К содержимому');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Группа');
    await page.keyboard.press('Enter');
    await page.getByLabel('ID группы или клиента').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(GROUP);
    await page.keyboard.press('Enter');
    const details = page.locator(`[data-group="${GROUP}"]`);
    await details.waitFor();
    expect(plain(await details.locator('[data-field="tier"]').textContent())).toBe('Золото · 6 %');
    expect(plain(await details.locator('[data-field="sum90d"]').textContent())).toBe('550 000,00 ₽');
    expect(await details.locator('.members li').allTextContents()).toEqual(['C-42', 'C-43']);
    if (served('PUT', '/admin/groups/{groupId}/floor')) {
      expect(plain(await details.locator('[data-field="floor"]').textContent())).toBe('Платина до 31 янв. 2027 г.');
    }
    expect(plain(await details.locator('tbody tr').first().textContent())).toContain('Базовый → Золото');
    await page.screenshot({ path: screenshotPath('group-1280'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('group-390'), fullPage: true });

    await page.getByLabel('ID группы или клиента').fill('NO-SUCH-GROUP');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Группа не найдена');
    await page.close();
  });

  it('brings the token prompt back when the API answers 401', async () => {
    const page = await openConsole();
    await signIn(page);
    await page.locator('tr[data-tier="gold"]').waitFor();
    await inPage(page, "sessionStorage.setItem('tier-console.token', 'a-rotated-token')");
    await inPage(page, `location.hash = '#/group/${GROUP}'`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Токен не подошёл');
    expect(await page.getByLabel('Токен администратора').isVisible()).toBe(true);
    expect(await inPage(page, "sessionStorage.getItem('tier-console.token')")).toBeNull();
    await page.close();
  });
});

/** Downloads what clicking `button` saves and returns the file's text. */
async function downloadText(page: Page, button: ReturnType<Page['getByRole']>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}

/** Opens the program screen and puts `edit(program)` into the JSON editor. */
async function editProgram(page: Page, edit: (program: any) => void): Promise<void> {
  await page.getByRole('link', { name: 'Программа' }).click();
  const editor = page.getByLabel('Новая версия (JSON)');
  await editor.waitFor();
  const program = JSON.parse(await editor.inputValue());
  edit(program);
  await editor.fill(JSON.stringify(program, null, 2));
}

describe.skipIf(!programRoutes)('program screen (waits for GET/PUT /admin/program)', () => {
  it('lists the versions, shows a 422 issue at its field, and schedules a valid version', async () => {
    const page = await openConsole();
    await signIn(page);
    await editProgram(page, (program) => {
      program.tiers[2].threshold = '40000'; // below bronze's 50 000: thresholds must increase
    });
    expect(await page.locator('tr[data-version]').count()).toBe(1); // the deployed program, version 1
    await page.getByRole('button', { name: 'Запланировать версию' }).click();
    const issue = page.locator('li[data-path="program.tiers[2].threshold"]');
    await issue.waitFor();
    expect(await page.getByLabel('Новая версия (JSON)').getAttribute('aria-invalid')).toBe('true');
    await issue.getByRole('button').click(); // "line N": selects the field in the editor
    const selected = await inPage(page, "(() => { const area = document.getElementById('program-json'); return area.value.slice(area.selectionStart, area.selectionEnd); })()");
    expect(selected).toBe('"40000"');
    expect(await page.locator('.gutter-issue').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('program-invalid-1280'), fullPage: true });

    await editProgram(page, (program) => {
      program.tiers[2].threshold = '150000'; // fixed
      program.tiers[4].discountPercent = 9;
    });
    await page.getByLabel('Действует с').fill('2027-06-01');
    await page.getByRole('button', { name: 'Запланировать версию' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Запланирована версия 2');
    await expect.poll(() => page.locator('tr[data-version]').count()).toBe(2);
    expect(plain(await page.locator('tr[data-version="2"]').textContent())).toContain('1 июн. 2027 г.');
    await page.close();
  });
});

describe.skipIf(!programRoutes || !simulationRoutes)('simulation screen (waits for the program and simulation routes)', () => {
  // The stack's consumers work the job's tasks, as under npm start.
  beforeAll(() => testStack().startConsumers());

  it('simulates a lower silver threshold on the live base and shows the movers, the matrix and a CSV', async () => {
    const page = await openConsole();
    await signIn(page);
    await editProgram(page, (program) => {
      program.tiers[2].threshold = '90000'; // C-106 (98 000) moves from bronze to silver
      program.tiers[2].retainThreshold = '90000'; // the program shows it explicit; it may not exceed the threshold
    });
    await page.getByLabel('Дата симуляции').fill('2026-11-29');
    await page.getByRole('button', { name: 'Симулировать на базе' }).click();
    const mover = page.locator('tr[data-group="C-106"]');
    await mover.waitFor({ timeout: 60_000 });
    expect(plain(await mover.textContent())).toContain('Бронза');
    expect(plain(await mover.textContent())).toContain('Серебро');
    expect(await page.locator('tr[data-group]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('simulation-1280'), fullPage: true });
    const csv = await downloadText(page, page.getByRole('button', { name: 'Скачать CSV' }));
    expect(csv.name).toMatch(/^movers-.+\.csv$/);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('C-106');
    await page.close();
  });
});

describe.skipIf(!reportRoutes)('win-back screen (waits for the report routes)', () => {
  beforeAll(() => testStack().startConsumers());

  it('builds the dormant report and shows the segments, the ranked list and a CSV', async () => {
    const page = await openConsole();
    await signIn(page);
    await page.getByRole('link', { name: 'Возврат клиентов' }).click();
    await page.getByLabel('Дата отчёта').fill('2026-11-29');
    await page.getByRole('button', { name: 'Построить отчёт' }).click();
    const row = page.locator('tr[data-group="C-108"]');
    await row.waitFor({ timeout: 60_000 });
    expect(plain(await row.textContent())).toContain('3 500,00 ₽');
    expect(await page.locator('figure.chart').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('winback-1280'), fullPage: true });
    const csv = await downloadText(page, page.getByRole('button', { name: 'Скачать CSV' }));
    expect(csv.name).toMatch(/^dormant-.+\.csv$/);
    expect(csv.text.split(/\r?\n/)[0]).toContain('groupId');
    expect(csv.text).toContain('C-108');
    await page.close();
  });
});
