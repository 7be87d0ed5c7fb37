/**
 * A course's title from the YAML file (issue 19, item 3) where instructors
 * read it, in a real browser through JupyterLab's own rendering: the
 * launcher's Manage card, the Course members panel's tab and heading. The
 * e2e world's course `Sketch2027` (ui-tests/hub-setup.ts) has a title made
 * of markup, managed by `tutor` alone: it must be shown as the text it is,
 * never run nor turned into an element, and the group's name stays where
 * the hub's name is meant.
 */
import { SKETCH_TITLE } from '../hub-setup';

import { expect, launcherCard, test } from './fixtures';

const GROUP = 'Sketch2027';

test('the title is the Manage card, the tab and the heading, as text', async ({
  openLab
}) => {
  const tutor = await openLab('tutor');
  const card = launcherCard(tutor, `Manage ${SKETCH_TITLE}`);
  await expect(card).toHaveCount(1);
  await expect(card.locator('.jp-LauncherCard-label')).toHaveText(
    `Manage ${SKETCH_TITLE}`
  );
  // the markup stayed text: no image made of it, in the card or anywhere
  await expect(card.locator('img')).toHaveCount(0);
  await expect(tutor.locator('img[src="x"]')).toHaveCount(0);
  await expect(launcherCard(tutor, `Manage ${GROUP}`)).toHaveCount(0);

  await card.click();
  const panel = tutor.locator('.jp-HubGroupsCourse');
  await expect(panel.locator('.jp-HubGroupsCourse-title')).toHaveText(
    `Members of ${SKETCH_TITLE}`
  );
  const tab = tutor.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
    hasText: 'Members of'
  });
  await expect(tab.locator('.lm-TabBar-tabLabel')).toHaveText(
    `Members of ${SKETCH_TITLE}`
  );
  await expect(tab).toHaveAttribute(
    'title',
    `Add and remove the members of ${SKETCH_TITLE}`
  );
  // the panel read the hub's group by its name, not by the title
  await expect(panel.locator('.jp-HubGroupsCourse-status')).toHaveText(
    'Up to date: changes made elsewhere show here.'
  );
  await expect(tutor.locator('img[src="x"]')).toHaveCount(0);
  expect(
    await tutor.evaluate(
      () => (window as { __hubGroupsPwned?: number }).__hubGroupsPwned
    )
  ).toBeUndefined();
});
