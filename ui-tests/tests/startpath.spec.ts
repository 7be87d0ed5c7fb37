/**
 * What one page load costs the servers: requests to our endpoints (the
 * server extension's and the hub service's) and lookups of the page's
 * token at the hub, counted on a real hub (issue 18's start path).
 */
import * as fs from 'fs';

import { Page } from '@playwright/test';

import { courseKernelCards, expect, launcherCard, test } from './fixtures';

/** `GET /hub/api/user` lines of the hub's log: each a lookup of a token. */
const hubLookups = () =>
  (
    fs
      .readFileSync(process.env.HUB_GROUPS_LOG!, 'utf8')
      .match(/ GET \/hub\/api\/user[ ?]/g) ?? []
  ).length;

/** The paths below `hub-groups/api/` the page requests, as they are sent. */
function ourRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', request => {
    const path = new URL(request.url()).pathname;
    const at = path.indexOf('/hub-groups/api/');
    if (at >= 0) {
      seen.push(path.slice(at + 1));
    }
  });
  return seen;
}

test.describe('start path', () => {
  test("a student's load makes one request to us and at most one hub lookup", async ({
    openLab
  }) => {
    // Logged in, server running, JupyterHub's own session cache warm:
    // what is left is the load's own cost, as on every later visit.
    const student = await openLab('mmuster');
    await expect(launcherCard(student, 'Course dashboard')).toBeVisible();

    const seen = ourRequests(student);
    const before = hubLookups();
    const answered = student.waitForResponse(response =>
      response.url().includes('/hub-groups/api/me')
    );
    await student.reload();
    await answered;
    await expect(launcherCard(student, 'Course dashboard')).toBeVisible();
    await expect(courseKernelCards(student)).toHaveCount(2);
    await student.waitForLoadState('networkidle');

    expect(seen.length, seen.join(', ')).toBeLessThanOrEqual(2);
    expect(seen).toEqual(['hub-groups/api/me']);
    // one lookup of the page's token at most: `me`'s, none by the service
    // (none at all when `me` still had an answer of the last seconds)
    expect(hubLookups() - before).toBeLessThanOrEqual(1);
  });
});
