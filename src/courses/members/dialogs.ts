import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { errorMessage } from '../../common/wording';

/**
 * JupyterLab's confirmation dialog (the members panel's default).
 *
 * @param question - The title, the text, the accept button's label.
 * @returns Whether the user accepted.
 */
export async function confirmDialog(question: {
  title: string;
  body: string;
  accept: string;
}): Promise<boolean> {
  const result = await showDialog({
    title: question.title,
    body: question.body,
    buttons: [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: question.accept })
    ]
  });
  return result.button.accept;
}

/**
 * JupyterLab's error dialog (the members panel's default).
 *
 * @param title - What failed.
 * @param reason - Why.
 * @param trans - The translation bundle of this package.
 */
export async function errorDialog(
  title: string,
  reason: unknown,
  trans: TranslationBundle
): Promise<void> {
  await showErrorMessage(title, errorMessage(reason, trans));
}
