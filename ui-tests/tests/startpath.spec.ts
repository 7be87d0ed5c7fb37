/**
 * What one page load costs the servers: requests to our endpoints (the
 * server extension's and the hub service's) and lookups of the page's
 * token at the hub, counted on a real hub; and which of our code it loads
 * (issue 18's start path).
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

/**
 * Our JavaScript files the page requests (the labextension's static
 * folder), by name.
 */
function ourScripts(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', request => {
    const path = new URL(request.url()).pathname;
    if (
      path.includes('/lab/extensions/jupyterlab-hub-groups/static/') &&
      path.endsWith('.js')
    ) {
      seen.push(path.slice(path.lastIndexOf('/') + 1));
    }
  });
  return seen;
}

/**
 * The modules of ours the page has loaded: those of every chunk pushed to
 * the bundle's chunk list (the development build, which the end-to-end
 * tests use, names them by path, e.g. `./lib/courses/join/model.js`).
 */
function ourModules(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (
      ((window as any).rspackChunkjupyterlab_hub_groups ?? []) as [
        unknown,
        Record<string, unknown>
      ][]
    ).flatMap(chunk => Object.keys(chunk[1]))
  );
}

/**
 * What a student's page loads only when there is something for it: the
 * Join cards (a course to join), the Manage cards and the rest of the
 * instructor's side of the courses plugin (a group to manage, the Manage
 * command run, the e-mail's link), the collaboration model and cards (a
 * project), what reads jupyter-collaboration's awareness (a collaboration
 * server); and the styles, which all come with the code of the view
 * that shows them (the members panel with its requests, the Join dialog
 * and cards, the collaboration cards, the report, People here): nothing
 * of ours is styled at start. A static import of one of
 * them into a plugin (or of a style into `style/index.css`) brings it
 * back onto every page's start path.
 */
const LOADED_WHEN_NEEDED = [
  './lib/courses/join/start.js',
  './lib/courses/join/decisions.js',
  './lib/courses/join/model.js',
  './lib/courses/join/cards.js',
  './lib/courses/join/text.js',
  './lib/courses/join/state.js',
  './lib/courses/instructor.js',
  './lib/courses/icon.js',
  './lib/courses/members/link.js',
  './lib/courses/members/manage.js',
  './lib/courses/members/cards.js',
  './lib/courses/client.js',
  './lib/courses/history/attach.js',
  './lib/courses/history/client.js',
  './lib/courses/history/recorded.js',
  './lib/courses/history/rows.js',
  './lib/courses/history/view.js',
  './lib/collaboration/cards.js',
  './lib/collaboration/model.js',
  './lib/collaboration/start.js',
  './lib/presence/awareness.js',
  './lib/launcher/restart.js',
  './lib/common/restart.js',
  './lib/presence/project.js',
  './style/members.css',
  './style/history.css',
  './style/join.css',
  './style/joincards.css',
  './style/collaboration.css',
  './style/report.css',
  './style/presence.css',
  './style/project.css'
];

test.describe('start path', () => {
  test("a student's load makes one request to us and at most one hub lookup", async ({
    openLab
  }) => {
    // Logged in, server running, JupyterHub's own session cache warm:
    // what is left is the load's own cost, as on every later visit.
    const student = await openLab('mmuster');
    await expect(launcherCard(student, 'Course dashboard')).toBeVisible();

    const seen = ourRequests(student);
    const scripts = ourScripts(student);
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

    // mmuster is in the only course, manages none, has no project: none
    // of the Join, Manage and collaboration cards' code is loaded, nor
    // the instructor's side, nor the panel's and the dialog's styles.
    const modules = await ourModules(student);
    expect(modules, 'a development build').toContain(
      './lib/launcher/plugin.js'
    );
    expect(
      modules.filter(module => LOADED_WHEN_NEEDED.includes(module)),
      scripts.join(', ')
    ).toEqual([]);
    expect(
      scripts.filter(file => /^hub-groups-(join|manage)\./.test(file))
    ).toEqual([]);
  });
});
