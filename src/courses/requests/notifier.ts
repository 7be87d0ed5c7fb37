import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { PendingModel } from './pending';
import { IPendingRequest } from '../client';
import { nameList } from '../text';

/**
 * JupyterLab notifications of new requests to join the courses the user
 * manages, with a button that opens the course's members panel.
 *
 * #### Notes
 * One notification at a time: requests arriving while it is still there
 * (shown, or in the notification centre) are added to it, and it says
 * how many there are; requests decided meanwhile leave it, and it goes
 * when none is left. Which requests are new is the model's
 * (`PendingModel.arrived`: once per request). Names are text (JupyterLab
 * renders a notification's message as text). A single request comes with
 * its student's message, on one line, cut with an ellipsis to what the
 * notification shows; several are named only (their messages are in the
 * panel).
 */
export class PendingNotifier implements IDisposable {
  /**
   * @param options - The model, the translation bundle and what opens a
   *   course's panel.
   */
  constructor(options: PendingNotifier.IOptions) {
    this._model = options.model;
    this._trans = options.trans;
    this._open = options.open;
    this._titleOf = options.titleOf ?? (group => group);
    this._model.arrived.connect(this._onArrived, this);
    this._model.changed.connect(this._onChanged, this);
  }

  /**
   * Whether new requests are notified (a setting); when off, the current
   * notification stays until dismissed.
   */
  enabled = true;

  /**
   * The id of the current notification, or null.
   */
  get notificationId(): string | null {
    return this._current && Private.exists(this._current.id)
      ? this._current.id
      : null;
  }

  /**
   * Whether the notifier is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Stop notifying. Idempotent; the current notification stays.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model.arrived.disconnect(this._onArrived, this);
    this._model.changed.disconnect(this._onChanged, this);
  }

  private _onArrived(
    _: PendingModel,
    arrived: readonly IPendingRequest[]
  ): void {
    if (!this.enabled) {
      return;
    }
    const id = this.notificationId;
    const requests = id ? [...this._current!.requests, ...arrived] : arrived;
    this._show(id, requests);
  }

  private _onChanged(): void {
    const id = this.notificationId;
    if (!id) {
      this._current = null;
      return;
    }
    const pending = new Set(this._model.pending.map(Private.key));
    const left = this._current!.requests.filter(r =>
      pending.has(Private.key(r))
    );
    if (left.length === this._current!.requests.length) {
      return;
    }
    if (!left.length) {
      Notification.dismiss(id);
      this._current = null;
      return;
    }
    this._show(id, left);
  }

  /**
   * Show (or update) the notification about `requests`.
   */
  private _show(id: string | null, requests: readonly IPendingRequest[]): void {
    const trans = this._trans;
    const courses = [...new Set(requests.map(r => r.group))].sort();
    const actions: Notification.IAction[] = courses
      .slice(0, Private.MAX_ACTIONS)
      .map(group => ({
        label:
          courses.length === 1
            ? trans.__('Review Requests')
            : trans.__('Review %1', this._titleOf(group)),
        caption: trans.__('Open the members panel of %1', this._titleOf(group)),
        displayType: 'accent',
        callback: () => this._open(group)
      }));
    const message = Private.message(
      requests,
      courses.map(this._titleOf),
      trans
    );
    if (id && Notification.update({ id, message, type: 'info', actions })) {
      this._current = { id, requests };
      return;
    }
    this._current = {
      id: Notification.info(message, { autoClose: false, actions }),
      requests
    };
  }

  private _model: PendingModel;
  private _trans: TranslationBundle;
  private _open: (group: string) => void;
  private _titleOf: (group: string) => string;
  private _current: {
    id: string;
    requests: readonly IPendingRequest[];
  } | null = null;
  private _isDisposed = false;
}

/**
 * A namespace for PendingNotifier statics.
 */
export namespace PendingNotifier {
  /**
   * Options to create the notifier.
   */
  export interface IOptions {
    /** The pending requests of the user's courses. */
    model: PendingModel;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Open a course's members panel. */
    open: (group: string) => void;
    /** What people read for a course (its title); its group's name by default. */
    titleOf?: (group: string) => string;
  }
}

namespace Private {
  /**
   * At most this many buttons (one per course).
   */
  export const MAX_ACTIONS = 3;

  /**
   * At most this many names in a message (JupyterLab cuts a notification's
   * message at 140 characters).
   */
  const MAX_NAMES = 3;

  /**
   * The characters JupyterLab shows of a notification's message.
   */
  export const MAX_LENGTH = 140;

  /**
   * Fewer characters of a student's message than this are not worth
   * showing (a very long user or course name): the sentence goes without.
   */
  const MIN_EXCERPT = 16;

  /**
   * A message on one line: every run of white space (line breaks
   * included) one space.
   */
  function flatten(text: string): string {
    return text.replace(/\s+/g, ' ').trim();
  }

  /**
   * `text` cut to at most `max` characters, with an ellipsis when cut;
   * never inside a character made of two code units (an emoji).
   */
  export function excerpt(text: string, max: number): string {
    if (text.length <= max) {
      return text;
    }
    let cut = '';
    for (const ch of text) {
      if (cut.length + ch.length > max - 1) {
        break;
      }
      cut += ch;
    }
    return `${cut.replace(/\s+$/, '')}…`;
  }

  export function key(p: IPendingRequest): string {
    return JSON.stringify([p.group, p.user, p.created]);
  }

  /**
   * Whether JupyterLab still has the notification (shown or in its centre).
   */
  export function exists(id: string): boolean {
    return Notification.manager.notifications.some(n => n.id === id);
  }

  /**
   * One sentence on the requests.
   */
  export function message(
    requests: readonly IPendingRequest[],
    courses: readonly string[],
    trans: TranslationBundle
  ): string {
    if (requests.length === 1) {
      const { user, message } = requests[0];
      const plain = trans.__('%1 asks to join %2.', user, courses[0]);
      const words = message ? flatten(message) : '';
      if (!words) {
        return plain;
      }
      // Their words after ours, cut to what the notification shows,
      // isolated (FSI … PDI) so that right-to-left text cannot reorder
      // the sentence around it.
      const frame = trans.__('%1 They wrote: “%2”', plain, '');
      const room = MAX_LENGTH - frame.length - 2;
      return room < MIN_EXCERPT
        ? plain
        : trans.__(
            '%1 They wrote: “%2”',
            plain,
            `\u2068${excerpt(words, room)}\u2069`
          );
    }
    const users = [...new Set(requests.map(r => r.user))];
    const names = nameList(users, trans, MAX_NAMES);
    return courses.length === 1
      ? trans._n(
          '%1 new request to join %2: %3.',
          '%1 new requests to join %2: %3.',
          requests.length,
          courses[0],
          names
        )
      : trans._n(
          '%1 new request to join your courses (%2): %3.',
          '%1 new requests to join your courses (%2): %3.',
          requests.length,
          nameList(courses, trans),
          names
        );
  }
}
