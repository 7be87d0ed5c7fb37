/**
 * The dialog of a collaboration card: the shared server's state, and what
 * can be done from here (open, start, stop, and what its source adds: a
 * project's members). Loaded when a card is opened.
 * Start starts the server from here and opens it once it runs; nothing
 * goes through the hub's spawn pages.
 */
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { errorMessage } from '../common/wording';
import { ICollaboration, ICollaborationSource } from './model';
import { openWhenRunning } from './open';
import { caption } from './text';

/**
 * Show a card's dialog and do what the user chooses.
 *
 * @param c - The shared server, as of now.
 * @param model - The collaborations (to stop a server).
 * @param url - Where the server's JupyterLab is.
 * @param trans - The translation bundle of this package.
 */
export async function showActions(
  c: ICollaboration,
  model: ICollaborationSource,
  url: string,
  trans: TranslationBundle
): Promise<void> {
  const body = new Widget();
  body.addClass('jp-HubGroupsCollaboration');
  const text = document.createElement('p');
  text.textContent = caption(c, model.degraded, trans);
  body.node.appendChild(text);

  const open = Dialog.okButton({
    label: trans.__('Open'),
    caption: trans.__('Open the shared server in a new browser tab')
  });
  const start = Dialog.okButton({
    label: trans.__('Start'),
    caption: trans.__(
      'Start the shared server, then open it in a new browser tab'
    )
  });
  const stop = Dialog.warnButton({
    label: trans.__('Stop'),
    caption: trans.__('Stop the shared server for everyone')
  });
  const actions = model.actions?.(c) ?? [];
  const buttons: Dialog.IButton[] = [
    Dialog.cancelButton({ label: trans.__('Close') }),
    ...actions.map(({ label, caption }) =>
      Dialog.createButton({ label, caption, accept: true })
    )
  ];
  if (c.status === 'stopped') {
    buttons.push(start);
  } else if (c.status === 'running') {
    buttons.push(stop, open);
  } else {
    buttons.push(open);
  }
  const result = await showDialog({
    title: trans.__('Project %1', c.group),
    body,
    buttons
  });
  const label = result.button.label;
  if (!result.button.accept) {
    return;
  }
  const action = actions.find(a => a.label === label);
  if (action) {
    await action.run();
    return;
  }
  if (label === open.label && c.status !== 'starting') {
    window.open(url, '_blank', 'noopener');
  } else if (label === open.label || label === start.label) {
    // Followed here, opened once it runs (never the hub's pending page).
    await openWhenRunning(c, model, url, trans, label === start.label);
  } else if (label === stop.label) {
    try {
      await model.stop(c.account);
    } catch (reason) {
      console.error('jupyterlab-hub-groups: stop failed', reason);
      await showErrorMessage(
        trans.__('Cannot stop the shared server of %1', c.group),
        errorMessage(reason, trans)
      );
    }
  }
}
