// Browser tests of the admin console: playwright-core drives Debian's
// Chromium against a running two-organization stack, which the Go test
// TestAdminBrowser (test/e2e/admin_browser_test.go) starts and describes
// in GRIDNODE_BROWSER_CONFIG. Run it through `make test-browser`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(process.env.GRIDNODE_BROWSER_CONFIG || '{}');
for (const k of ['chromium', 'orgA', 'orgB', 'bootstrapPassword', 'manifestUrl', 'provider', 'screenshots']) {
  if (!cfg[k]) throw new Error(`GRIDNODE_BROWSER_CONFIG lacks ${k}: run this through the Go test TestAdminBrowser`);
}
mkdirSync(cfg.screenshots, { recursive: true });

const ADMIN_PW = 'org admin chose this one';
const VIEWER_TMP = 'viewer temporary password';
const VIEWER_PW = 'viewer chose this one';
const DEPOSIT = '100000000';

let browser;
const problems = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: cfg.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
});

// open makes a fresh context (its own cookies) and page, watching for
// script errors and CSP violations.
async function open(url, name) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  ctx.setDefaultTimeout(30000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    // A 401 on the first GET api/session is how the app learns it is signed out.
    if (m.type() === 'error' && !/status of (401|403|429|503)/.test(text)) problems.push(`${name}: console error: ${text}`);
  });
  await page.goto(url);
  return page;
}

let shotN = 0;
async function shot(page, name) {
  shotN++;
  await page.waitForTimeout(150); // let the last render settle
  await page.screenshot({ path: join(cfg.screenshots, String(shotN).padStart(2, '0') + '-' + name + '.png'), fullPage: true });
}

async function nav(page, name) {
  await page.click(`a[data-nav="${name}"]`);
  await page.waitForURL(new RegExp('#/' + name));
}

// signInFirstTime signs the bootstrap admin in and makes it choose its
// own password.
async function signInFirstTime(page, tag) {
  await page.fill('#username', 'admin');
  await page.fill('#password', cfg.bootstrapPassword);
  await page.click('#sign-in');
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await shot(page, tag + '-choose-password');
  await page.fill('#current-password', cfg.bootstrapPassword);
  await page.fill('#new-password', ADMIN_PW);
  await page.fill('#new-password-again', ADMIN_PW);
  await page.click('#change-password');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

let b; // org B's admin page
let orderID;

test('org B: sign in with the bootstrap password and change it', async () => {
  b = await open(cfg.orgB, 'org-b admin');
  await b.getByRole('heading', { name: 'Sign in' }).waitFor();
  // A wrong password is refused with a clear message.
  await b.fill('#username', 'admin');
  await b.fill('#password', 'not the password');
  await b.click('#sign-in');
  await b.getByText('Wrong user name or password.').waitFor();
  await shot(b, 'b-sign-in-refused');
  await signInFirstTime(b, 'b');
  // The overview shows the org's services, its active carrier and the chain.
  await b.locator('[data-service="carrier"] .count.ok').waitFor();
  await b.locator('.stat', { hasText: 'Carrier' }).getByText('active').waitFor();
  await b.locator('.stat', { hasText: 'Chain head' }).getByText(/^#\d+/).waitFor();
  await b.locator('.stat', { hasText: 'Peers' }).locator('.stat-value', { hasText: /^[1-9]/ }).waitFor();
  await shot(b, 'b-overview');
});

test("org B: the directory shows org A's listing, priced for a request", async () => {
  await nav(b, 'directory');
  const row = b.locator('tr', { has: b.locator(`[data-listing="${cfg.provider.toLowerCase()}"]`) });
  await row.waitFor();
  await row.getByText('org-a').waitFor();
  await b.fill('input[name="cpu"]', '1');
  await b.fill('input[name="memory"]', '512Mi');
  await b.fill('input[name="labels"]', 'tier=gold');
  await b.fill('input[name="duration"]', '1h');
  await b.click('#search');
  await b.getByText('1 listing matches').waitFor();
  // 1000 millicores × 3 + 512 MiB × 2 per second, for 3600 s.
  await row.getByText('14,486,400').waitFor();
  await shot(b, 'b-directory');
  await b.fill('input[name="labels"]', 'tier=platinum');
  await b.click('#search');
  await b.getByText('No listing matches').waitFor();
});

test('org B: deposit credits and watch the confirmation complete', async () => {
  await nav(b, 'credits');
  await b.locator('#balances').waitFor();
  await shot(b, 'b-credits-before');
  await b.fill('input[name="deposit-amount"]', DEPOSIT);
  await b.click('#deposit');
  const op = b.locator('.operation');
  await op.locator('.tx').first().waitFor();
  await shot(b, 'b-credits-deposit-progress');
  await b.locator('#deposit-done').waitFor({ timeout: 60000 });
  assert.equal(await op.locator('.tx[data-state="confirmed"]').count(), 2, 'approve and deposit confirmed');
  await b.locator('.stat', { hasText: 'Credit' }).getByText('100,000,000').waitFor();
  await b.locator('table', { hasText: 'deposit ' }).locator('tr', { hasText: 'approve' }).getByText('confirmed').waitFor();
  await shot(b, 'b-credits-deposited');
});

test('org B: create an order from a match', async () => {
  await b.goto(cfg.orgB + '#/orders/new');
  await b.getByRole('heading', { name: 'New order' }).waitFor();
  await b.fill('input[name="cpu"]', '1');
  await b.fill('input[name="memory"]', '512');
  await b.fill('input[name="storage"]', '1');
  await b.fill('input[name="duration"]', '1');
  await b.selectOption('select[name="unit"]', 'h');
  await b.fill('input[name="labels"]', 'tier=gold');
  await b.click('#find-providers');
  const choose = b.locator(`[data-choose="${cfg.provider.toLowerCase()}"]`);
  await choose.waitFor();
  await shot(b, 'b-order-candidates');
  // Ask for more than org A offers: the exclusion says why.
  await b.fill('input[name="cpu"]', '64');
  await b.click('#find-providers');
  await b.getByText('No provider fits').waitFor();
  await b.getByText('not enough CPU').first().waitFor();
  await shot(b, 'b-order-excluded');
  await b.fill('input[name="cpu"]', '1');
  await b.click('#find-providers');
  await choose.click();
  await b.fill('input[name="manifest-url"]', cfg.manifestUrl);
  await b.click('#place-order');
  await b.locator('#order-placed').waitFor({ timeout: 90000 });
  const text = await b.locator('#order-placed').innerText();
  orderID = /Order #(\d+) placed/.exec(text)[1];
  await shot(b, 'b-order-placed');
});

test('org B: the order is in the orders list', async () => {
  await nav(b, 'orders');
  await b.click('[data-tab="buyer"]');
  const row = b.locator('tr', { hasText: '#' + orderID });
  await row.waitFor();
  await row.getByText('active').waitFor();
  await row.getByText('buyer').waitFor();
  await shot(b, 'b-orders');
});

test('org B: extend the order and update its manifest', async () => {
  await b.locator('tr', { hasText: '#' + orderID }).click();
  await b.getByRole('heading', { name: 'Order #' + orderID }).waitFor();
  await b.locator('.deployment').waitFor();
  await shot(b, 'b-order-detail');
  await b.locator('#order-max-escrow').waitFor();
  const end = await b.locator('#order-end').innerText();
  await b.click('#extend-order');
  await b.getByRole('dialog').waitFor();
  await b.fill('input[name="extend-by"]', '30');
  await b.selectOption('select[name="extend-unit"]', 'min');
  await b.getByRole('dialog').getByText('adds 30 min').waitFor();
  await shot(b, 'b-order-extend-confirm');
  await b.getByRole('dialog').getByRole('button', { name: 'Extend' }).click();
  await b.getByText('extended 1×').waitFor({ timeout: 90000 });
  assert.notEqual(await b.locator('#order-end').innerText(), end, 'the end moved');
  const hash = await b.locator('#order-manifest-hash').innerText();
  await b.click('#manifest-order');
  await b.getByRole('dialog').waitFor();
  await b.fill('input[name="update-manifest-url"]', cfg.manifestUrl2);
  await b.getByRole('dialog').getByRole('button', { name: 'Update manifest' }).click();
  // Org A's gateway here is only a Consul entry: the update is on chain,
  // and the console says it did not reach the gateway.
  await b.getByText('Updated on chain, not rolled out').waitFor({ timeout: 90000 });
  await b.getByText('updated 1×').waitFor({ timeout: 90000 });
  assert.notEqual(await b.locator('#order-manifest-hash').innerText(), hash, 'the manifest hash changed');
  await shot(b, 'b-order-extended-updated');
});

test('org B: cancel the order and see the settlement', async () => {
  await b.getByRole('heading', { name: 'Order #' + orderID }).waitFor();
  await b.click('#cancel-order');
  await b.getByRole('dialog').waitFor();
  await shot(b, 'b-order-cancel-confirm');
  await b.getByRole('dialog').getByRole('button', { name: 'Cancel order' }).click();
  await b.locator('#settlement').waitFor({ timeout: 90000 });
  const text = await b.locator('#settlement').innerText();
  assert.match(text, /Cancelled and settled/);
  assert.match(text, /Paid to the provider: [\d,]+/);
  assert.match(text, /refunded to the buyer: [\d,]+/);
  await shot(b, 'b-order-settled');
  await nav(b, 'orders');
  await b.locator('tr', { hasText: '#' + orderID }).getByText('cancelled').waitFor();
});

let soldID; // an order org A closes from its console

test('org B: place a second order, for org A to close', async () => {
  // Through admin's API with the console's session, as the console does.
  soldID = await b.evaluate(async ({ provider, manifestUrl }) => {
    const s = await (await fetch('api/session')).json();
    const resp = await fetch('api/orders', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
      body: JSON.stringify({ resources: { cpuMillis: 500, memoryBytes: 256 << 20 }, duration: 3600, manifestUrl, provider, operation: 'browser-sold' }),
    });
    const p = await resp.json();
    if (!resp.ok || !p.order) throw new Error('second order: ' + JSON.stringify(p));
    return String(p.order.id);
  }, { provider: cfg.provider, manifestUrl: cfg.manifestUrl });
});

test("org B: providers, settlements and settings pages", async () => {
  await nav(b, 'providers');
  await b.getByText('No provider').waitFor();
  await shot(b, 'b-providers-empty');
  await nav(b, 'settlements');
  await b.locator('#earnings-chart svg').waitFor();
  await shot(b, 'b-settlements');
  await nav(b, 'settings');
  await b.locator('#org-profile').waitFor();
  await b.locator('#audit').getByText('POST /api/orders/{id}/cancel').waitFor();
  await b.locator('#audit').getByText('POST /api/orders/{id}/extend').waitFor();
  await shot(b, 'b-settings');
});

test('org B: a viewer account sees no control that changes anything', async () => {
  // The admin creates it.
  await b.fill('input[name="account-name"]', 'viewer');
  await b.selectOption('select[name="account-role"]', 'viewer');
  await b.fill('input[name="account-password"]', VIEWER_TMP);
  await b.click('#create-account');
  await b.getByText('Account viewer created').waitFor();

  const v = await open(cfg.orgB, 'org-b viewer');
  await v.fill('#username', 'viewer');
  await v.fill('#password', VIEWER_TMP);
  await v.click('#sign-in');
  await v.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await v.fill('#current-password', VIEWER_TMP);
  await v.fill('#new-password', VIEWER_PW);
  await v.fill('#new-password-again', VIEWER_PW);
  await v.click('#change-password');
  await v.getByRole('heading', { name: 'Overview' }).waitFor();
  await v.getByText('read-only').waitFor();
  await shot(v, 'viewer-overview');

  const mutating = ['#new-order', '#deposit', '#withdraw', '#cancel-order', '#extend-order', '#manifest-order', '#close-order', '#create-account', '#save-settings', '#place-order',
    '.btn.danger', 'a:has-text("Order…")', 'button:has-text("Deregister")', 'button:has-text("Register again")'];
  const pages = ['overview', 'directory', 'providers', 'orders', 'orders/' + orderID, 'orders/new', 'credits', 'settlements', 'settings'];
  for (const p of pages) {
    await v.goto(cfg.orgB + '#/' + p);
    await v.locator('.page-head h1').waitFor();
    await v.waitForLoadState('networkidle');
    await v.waitForTimeout(300);
    for (const sel of mutating) {
      assert.equal(await v.locator(sel).count(), 0, `viewer sees ${sel} on ${p}`);
    }
    for (const input of await v.locator('#org-profile input').all()) {
      assert.equal(await input.getAttribute('readonly'), '', `viewer can edit ${await input.getAttribute('name')}`);
    }
    assert.equal(await v.locator('#accounts').count(), 0, `viewer sees the accounts on ${p}`);
    assert.equal(await v.locator('#audit').count(), 0, `viewer sees the audit log on ${p}`);
    if (['credits', 'settings', 'orders/' + orderID].includes(p)) await shot(v, 'viewer-' + p.replace('/', '-'));
  }
  await v.context().close();
});

test("org A: sign in, see the provider and the earnings from org B's order", async () => {
  const a = await open(cfg.orgA, 'org-a admin');
  await signInFirstTime(a, 'a');
  await a.locator('[data-service="gateway"] .count.ok').waitFor();
  await shot(a, 'a-overview');
  await nav(a, 'providers');
  const card = a.locator(`[data-provider="${cfg.provider.toLowerCase()}"]`);
  await card.waitFor();
  await card.getByText('registered').first().waitFor();
  await card.getByText('Listing in the directory').waitFor();
  await shot(a, 'a-providers');
  await nav(a, 'orders');
  await a.click('[data-tab="seller"]');
  await a.locator('tr', { hasText: '#' + orderID }).getByText('cancelled').waitFor({ timeout: 60000 });
  await shot(a, 'a-orders-sold');
  // A closes the second order it sold: paid for the time served.
  await a.locator('tr', { hasText: '#' + soldID }).getByText('active').waitFor({ timeout: 60000 });
  await a.locator('tr', { hasText: '#' + soldID }).click();
  await a.getByRole('heading', { name: 'Order #' + soldID }).waitFor();
  assert.equal(await a.locator('#extend-order').count(), 0, 'the seller cannot extend');
  assert.equal(await a.locator('#cancel-order').count(), 0, 'the seller cannot cancel');
  await a.click('#close-order');
  await a.getByRole('dialog').waitFor();
  await shot(a, 'a-order-close-confirm');
  await a.getByRole('dialog').getByRole('button', { name: 'Close order' }).click();
  await a.locator('#settlement').getByText('Closed by the provider and settled').waitFor({ timeout: 90000 });
  assert.match(await a.locator('#settlement').innerText(), /Paid to the provider: [\d,]+/);
  await shot(a, 'a-order-closed');
  await nav(a, 'orders');
  await a.locator('tr', { hasText: '#' + soldID }).getByText('closed').waitFor();
  await nav(a, 'settlements');
  await a.locator('#earnings-chart svg').waitFor({ timeout: 60000 });
  await shot(a, 'a-settlements');
  await nav(a, 'settings');
  await a.locator('#org-profile').waitFor();
  await shot(a, 'a-settings');
  await a.context().close();
});

test('no script error or CSP violation on any page', () => {
  assert.deepEqual(problems, []);
});
