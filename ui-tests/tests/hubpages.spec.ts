/**
 * The hub's own pages, as the demo's people see them (issue 19, items 9
 * and 10): a project's members get no Admin link and no admin page (the
 * collaboration cards start and stop the shared server: see
 * collaboration.spec.ts); the hub-groups service is in nobody's Services
 * menu, and opening it asks nobody to "Authorize access". Against the real
 * hub of hub-setup.ts, logged in through its login form.
 */
import { Browser, Page } from '@playwright/test';

import { expect, HubAdmin, test } from './fixtures';

/**
 * Log `user` in through the hub's login form, in a fresh browser context,
 * onto their hub home page (`/hub/home`: no server is started).
 */
async function hubHome(
  browser: Browser,
  hub: HubAdmin,
  user: string
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(
    `${hub.url}/hub/login?next=${encodeURIComponent('/hub/home')}`
  );
  await page.locator('#username_input').fill(user);
  await page.locator('#password_input').fill(process.env.HUB_GROUPS_PASSWORD!);
  await page.locator('#login_submit').click();
  await page.waitForURL(url => url.pathname === '/hub/home');
  // The hub's navigation bar is drawn (its Token link is everyone's).
  await expect(navBar(page).getByRole('link', { name: 'Token' })).toBeVisible();
  return page;
}

/** The hub's navigation bar. */
function navBar(page: Page) {
  return page.locator('nav');
}

test.describe("the hub's pages", () => {
  test('a project member (vex) has no Admin link, and the admin page refuses him; the admin still has both', async ({
    browser,
    hub
  }) => {
    const vex = await hubHome(browser, hub, 'vex');
    await expect(navBar(vex).getByRole('link', { name: 'Admin' })).toHaveCount(
      0
    );
    const refused = await vex.goto(`${hub.url}/hub/admin`);
    expect(refused?.status()).toBe(403);
    // No "Shutdown Hub", "Stop All", "Add Users": no admin page at all.
    await expect(vex.getByText('Shutdown Hub')).toHaveCount(0);
    await vex.context().close();

    // The same page for the hub's admin: the link this test looks for is there.
    const admin = await hubHome(browser, hub, 'admin');
    await navBar(admin).getByRole('link', { name: 'Admin' }).click();
    await expect(admin.getByText('Shutdown Hub')).toBeVisible();
    await admin.context().close();
  });

  test('nobody has hub-groups in the Services menu; opening the service asks no one to "Authorize access"', async ({
    browser,
    hub
  }) => {
    const mmuster = await hubHome(browser, hub, 'mmuster');
    // The demo's only service with a page is hub-groups: no menu at all.
    await expect(
      navBar(mmuster).getByRole('button', { name: 'Services' })
    ).toHaveCount(0);
    await expect(navBar(mmuster).getByText('Services')).toHaveCount(0);
    await expect(
      mmuster.locator('a[href*="/services/hub-groups"]')
    ).toHaveCount(0);

    // Logged in at the hub, not yet at the service: the hub's OAuth runs,
    // and ends at the service, with no page of the hub's in between.
    const pages: string[] = [];
    mmuster.on('framenavigated', frame => {
      if (frame === mmuster.mainFrame()) {
        pages.push(new URL(frame.url()).pathname);
      }
    });
    const response = await mmuster.goto(`${hub.url}/services/hub-groups/`);
    expect(new URL(mmuster.url()).pathname).toBe('/services/hub-groups/');
    expect(response?.status()).toBe(200);
    const home = JSON.parse(await response!.text());
    expect(home.service).toBe('hub-groups');
    expect(JSON.stringify(home.user)).toContain('mmuster');
    await expect(mmuster.getByText('Authorize access')).toHaveCount(0);
    expect(pages).toEqual(['/services/hub-groups/']);
    await mmuster.context().close();
  });
});
