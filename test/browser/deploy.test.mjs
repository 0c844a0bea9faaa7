// Browser test of a bought order's deployment in the admin console:
// playwright-core drives Debian's Chromium against the two-organization
// market that the Go test TestAdminBrowserDeploy
// (test/e2e/console_deploy_browser_test.go) starts and describes in
// GRIDNODE_BROWSER_CONFIG. Run it through `make test-browser`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(process.env.GRIDNODE_BROWSER_CONFIG || '{}');
for (const k of ['chromium', 'console', 'user', 'bootstrapPassword', 'order', 'manifestUrl', 'gatewayOrigin', 'appPath', 'screenshots']) {
  if (!cfg[k]) throw new Error(`GRIDNODE_BROWSER_CONFIG lacks ${k}: run this through the Go test TestAdminBrowserDeploy`);
}
mkdirSync(cfg.screenshots, { recursive: true });

const ADMIN_PW = 'org b admin chose this one';
const VIEWER_TMP = 'viewer temporary password';
const VIEWER_PW = 'viewer chose this one';

let browser;
let ctx; // the admin's browser context (its cookies: admin's session, then the gateway's)
let page;
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

// watch records script errors, CSP violations and failed requests of the
// console's pages. Answers the console expects are left out: 401 on the
// first api/session, and the gateway's refusals on deployment routes (kwok
// serves no logs: 502 log_unavailable).
function watch(p, name) {
  p.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  p.on('console', (m) => {
    const text = m.text();
    const url = (m.location() && m.location().url) || '';
    if (m.type() !== 'error') return;
    if (/status of 401/.test(text) && /api\/session$/.test(url)) return;
    if (/status of (404|502)/.test(text) && /\/deployment/.test(url)) return;
    problems.push(`${name}: console error: ${text} (${url})`);
  });
}

let shotN = 0;
async function shot(p, name) {
  shotN++;
  await p.waitForTimeout(150); // let the last render settle
  await p.screenshot({ path: join(cfg.screenshots, 'deploy-' + String(shotN).padStart(2, '0') + '-' + name + '.png'), fullPage: true });
}

async function signIn(p, user, password, newPassword) {
  await p.fill('#username', user);
  await p.fill('#password', password);
  await p.click('#sign-in');
  await p.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await p.fill('#current-password', password);
  await p.fill('#new-password', newPassword);
  await p.fill('#new-password-again', newPassword);
  await p.click('#change-password');
  await p.getByRole('heading', { name: 'Overview' }).waitFor();
}

test('sign in to org B\'s console and open the bought order', async () => {
  ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  ctx.setDefaultTimeout(30000);
  page = await ctx.newPage();
  watch(page, 'org-b admin');
  await page.goto(cfg.console);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await signIn(page, cfg.user, cfg.bootstrapPassword, ADMIN_PW);
  await page.goto(cfg.console + '#/orders/' + cfg.order);
  await page.getByRole('heading', { name: 'Order #' + cfg.order }).waitFor();
  // The carrier opened a session at org A's gateway: the panel is live,
  // nothing deployed yet.
  await page.locator('.deployment[data-available="true"]').waitFor();
  await page.locator('#deployment-phase[data-phase="none"]').waitFor();
  const text = await page.locator('.deployment').innerText();
  assert.match(text, new RegExp(cfg.gatewayOrigin.replace(/[.:/]/g, '\\$&')));
  assert.equal(await page.locator('#open-app').isDisabled(), true, 'Open app before a deployment');
  await shot(page, 'panel-before');
});

test('deploy the manifest by URL and watch it become Ready, with its events', async () => {
  await page.fill('#deploy-manifest-url', cfg.manifestUrl);
  await page.click('#deploy');
  await page.getByText(/Applied into namespace gn-/).waitFor({ timeout: 60000 });
  await shot(page, 'deploying');
  await page.locator('#deployment-phase[data-phase="Ready"]').waitFor({ timeout: 120000 });
  await page.locator('.deployment').getByText('Deployment/demoapp').first().waitFor();
  await page.locator('#events table').waitFor({ timeout: 60000 });
  assert.ok((await page.locator('#events tbody tr').count()) > 0, 'events listed');
  await shot(page, 'ready');
});

test('follow logs: the gateway\'s answer is shown (kwok has no logs)', async () => {
  await page.click('#follow-logs');
  await page.locator('#logs .alert.error').waitFor({ timeout: 60000 });
  const text = await page.locator('#logs .alert.error').innerText();
  assert.match(text, /log_unavailable/);
  await shot(page, 'logs');
});

test('open app: a new tab posts the session to the gateway and lands on the app', async () => {
  // The tab's navigations: admin's open-app page, the form post to the
  // gateway's cookie route, the redirect to the order's app.
  const navs = [];
  const onRequest = async (req) => {
    if (!req.isNavigationRequest()) return;
    const resp = await req.response().catch(() => null);
    navs.push({ method: req.method(), url: req.url(), headers: await req.allHeaders(), status: resp && resp.status(),
      location: resp && (await resp.headerValue('location')) });
  };
  ctx.on('request', onRequest);
  const [tab] = await Promise.all([ctx.waitForEvent('page'), page.click('#open-app')]);
  const appURL = cfg.gatewayOrigin + cfg.appPath;
  // (Chrome shows its own error page for an answer without a body, which
  // is what kwok's Service address gives: wait for the navigation, not for
  // a page to load.)
  for (let i = 0; i < 300 && !navs.some((n) => n.url === appURL && n.status); i++) await tab.waitForTimeout(100);
  ctx.off('request', onRequest);
  const chain = navs.map((n) => `${n.method} ${n.url} → ${n.status}${n.location ? ' ' + n.location : ''}`).join('\n');
  const open = navs.find((n) => n.url.endsWith('/api/orders/' + cfg.order + '/open-app'));
  const cookie = navs.find((n) => n.url === cfg.gatewayOrigin + cfg.appPath.replace(/app\/\d+\/$/, 'v1/session/cookie'));
  const app = navs.find((n) => n.url === appURL);
  assert.ok(open && open.method === 'POST' && open.status === 200, 'admin served the open-app page:\n' + chain);
  assert.ok(cookie && cookie.method === 'POST' && cookie.status === 303 && cookie.location === cfg.appPath, 'the gateway set the cookie and redirected:\n' + chain);
  assert.ok(app && app.method === 'GET', 'the browser went on to the app:\n' + chain);
  assert.match(app.headers.cookie || '', new RegExp('gridnode_session_' + cfg.order + '='), 'the app request carries the session cookie');
  // With the cookie the gateway let the request through to the app (on
  // kwok nothing real answers behind the Service): not a missing session.
  assert.ok(app.status !== 401 && app.status !== 403, 'the app answered ' + app.status);
  // The cookie: the order's, HttpOnly, SameSite=Lax, scoped to the via prefix.
  const c = (await ctx.cookies(appURL)).find((x) => x.name === 'gridnode_session_' + cfg.order);
  assert.ok(c, 'the order\'s session cookie is set');
  assert.equal(c.httpOnly, true);
  assert.equal(c.sameSite, 'Lax');
  assert.equal(c.path, cfg.appPath.replace(/app\/\d+\/$/, ''));
  // The token is in no URL the browser went to.
  for (const n of navs) assert.doesNotMatch(n.url, /token/);
  await shot(tab, 'app-tab');
  await tab.close();
});

test('delete the deployment', async () => {
  await page.click('#delete-deployment');
  await page.getByRole('dialog').waitFor();
  await shot(page, 'delete-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator('#deployment-phase[data-phase="none"]').waitFor({ timeout: 120000 });
  await shot(page, 'deleted');
});

test('the audit shows the deploy, the open-app and the delete', async () => {
  await page.goto(cfg.console + '#/settings');
  const audit = page.locator('#audit');
  await audit.getByText('PUT /api/orders/{id}/deployment').first().waitFor();
  await audit.getByText('POST /api/orders/{id}/open-app').first().waitFor();
  await audit.getByText('DELETE /api/orders/{id}/deployment').first().waitFor();
  await shot(page, 'audit');
});

test('a viewer sees the deployment panel and no control', async () => {
  await page.fill('input[name="account-name"]', 'viewer');
  await page.selectOption('select[name="account-role"]', 'viewer');
  await page.fill('input[name="account-password"]', VIEWER_TMP);
  await page.click('#create-account');
  await page.getByText('Account viewer created').waitFor();

  const vctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  vctx.setDefaultTimeout(30000);
  const v = await vctx.newPage();
  watch(v, 'org-b viewer');
  await v.goto(cfg.console);
  await signIn(v, 'viewer', VIEWER_TMP, VIEWER_PW);
  await v.goto(cfg.console + '#/orders/' + cfg.order);
  await v.locator('.deployment[data-available="true"]').waitFor();
  await v.waitForLoadState('networkidle');
  for (const sel of ['#deploy', '#deploy-manifest-url', '#open-app', '#delete-deployment', '#cancel-order', '#extend-order', '#manifest-order', '.btn.danger']) {
    assert.equal(await v.locator(sel).count(), 0, `viewer sees ${sel}`);
  }
  await shot(v, 'viewer');
  await vctx.close();
});

test('no script error or CSP violation on any page', () => {
  assert.deepEqual(problems, []);
});
