/**
 * The sentences of the course members panel: what the list's state is,
 * what a preview found and what a change did. Pure functions of the
 * model's values, every string through the translation bundle.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { errorMessage } from '../../common/wording';
import { CourseMembersModel } from './model';
import { IPreview } from './names';

/**
 * The status line's text.
 *
 * @param model - Where the members list stands.
 * @param trans - The translation bundle.
 */
export function statusText(
  model: Pick<CourseMembersModel, 'status' | 'busy' | 'error'>,
  trans: TranslationBundle
): string {
  switch (model.status) {
    case 'loading':
      return trans.__('Reading the members…');
    case 'ready':
      return model.busy
        ? trans.__('Saving…')
        : trans.__('Up to date: changes made elsewhere show here.');
    case 'stale':
      return trans.__(
        'Could not refresh (%1); the list may be out of date.',
        errorMessage(model.error, trans)
      );
    case 'unavailable':
      return trans.__(
        'Cannot read the members: %1',
        errorMessage(model.error, trans)
      );
    default:
      // refused, absent: the panel says why it is closed (`closedText`)
      return '';
  }
}

/**
 * Why the panel shows nothing to manage, or '' when it does.
 *
 * @param model - Where the members list stands, and the group.
 * @param trans - The translation bundle.
 */
export function closedText(
  model: Pick<CourseMembersModel, 'status' | 'group'>,
  trans: TranslationBundle
): string {
  switch (model.status) {
    case 'refused':
      return trans.__(
        'You may not manage the members of %1 (JupyterHub decides who may).',
        model.group
      );
    case 'absent':
      return trans.__('JupyterHub has no group %1.', model.group);
    default:
      return '';
  }
}

/**
 * One sentence on a preview: how many of each kind.
 *
 * @param preview - The server's preview.
 * @param duplicates - How many names were left out as duplicates.
 * @param trans - The translation bundle.
 */
export function previewSummary(
  preview: IPreview,
  duplicates: number,
  trans: TranslationBundle
): string {
  const parts = [
    trans._n('%1 new', '%1 new', preview.new.length),
    trans._n(
      '%1 already a member',
      '%1 already members',
      preview.member.length
    ),
    trans._n('%1 unknown user', '%1 unknown users', preview.unknown.length),
    trans._n('%1 invalid', '%1 invalid', preview.invalid.length)
  ];
  if (duplicates) {
    parts.push(
      trans._n('%1 duplicate left out', '%1 duplicates left out', duplicates)
    );
  }
  return `${trans.__('Preview:')} ${parts.join(' · ')}`;
}

/**
 * One sentence on a change; the names not changed follow it in a list.
 *
 * @param result - What the change did.
 * @param errors - How many names were not changed (listed after it).
 * @param group - The group changed.
 * @param trans - The translation bundle.
 */
export function resultSummary(
  result: CourseMembersModel.IResult,
  errors: number,
  group: string,
  trans: TranslationBundle
): string {
  const parts: string[] = [];
  const { done, unchanged } = result;
  const adding = result.action === 'add';
  if (done.length === 1) {
    parts.push(
      adding
        ? trans.__('Added %1 to %2.', done[0], group)
        : trans.__('Removed %1 from %2.', done[0], group)
    );
  } else if (done.length) {
    parts.push(
      adding
        ? trans._n(
            'Added %1 person to %2.',
            'Added %1 people to %2.',
            done.length,
            group
          )
        : trans._n(
            'Removed %1 person from %2.',
            'Removed %1 people from %2.',
            done.length,
            group
          )
    );
  }
  if (unchanged.length === 1) {
    parts.push(
      adding
        ? trans.__('%1 was already a member.', unchanged[0])
        : trans.__('%1 was not a member.', unchanged[0])
    );
  } else if (unchanged.length) {
    parts.push(
      adding
        ? trans.__('%1 were already members.', unchanged.length)
        : trans.__('%1 were not members.', unchanged.length)
    );
  }
  if (errors) {
    parts.push(
      !parts.length
        ? adding
          ? trans.__('Not added:')
          : trans.__('Not removed:')
        : adding
          ? trans._n('%1 not added:', '%1 not added:', errors)
          : trans._n('%1 not removed:', '%1 not removed:', errors)
    );
  }
  return parts.length ? parts.join(' ') : trans.__('Nothing changed.');
}

/**
 * Why a name was not changed, in words.
 *
 * @param e - The server's error for the name.
 * @param trans - The translation bundle.
 */
export function errorText(
  e: CourseMembersModel.INameError,
  trans: TranslationBundle
): string {
  if (e.error === 'collaboration-account') {
    // Worded here whole: what the instructor needs is what it is.
    return trans.__('a project’s collaboration account, not a person');
  }
  const kind =
    e.error === 'unknown-user'
      ? trans.__('unknown user')
      : e.error === 'invalid'
        ? trans.__('invalid')
        : e.error === 'refused'
          ? trans.__('refused by JupyterHub')
          : e.error;
  return e.message ? trans.__('%1: %2', kind, e.message) : kind;
}

/**
 * The undo button's label: what undoing will do.
 *
 * @param change - The last change.
 * @param trans - The translation bundle.
 */
export function undoLabel(
  change: CourseMembersModel.IChange,
  trans: TranslationBundle
): string {
  const n = change.names.length;
  if (change.action === 'add') {
    return n === 1
      ? trans.__('Undo: remove %1 again', change.names[0])
      : trans._n(
          'Undo: remove the %1 person added',
          'Undo: remove the %1 people added',
          n
        );
  }
  return n === 1
    ? trans.__('Undo: add %1 back', change.names[0])
    : trans._n(
        'Undo: add the %1 person back',
        'Undo: add the %1 people back',
        n
      );
}
