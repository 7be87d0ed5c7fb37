/**
 * The history API of the hub-groups service, with the page's token:
 * `GET courses/<g>/history` and the Course members panel's report of a
 * change (`POST courses/<g>/history`).
 */
import { requestJson, RequestTarget } from '../../common/request';
import { stringsOf } from '../../common/values';
import { IHistoryEvent, readEvents } from './rows';

/**
 * A course's history, as read.
 */
export interface IHistory {
  /** The events, newest first. */
  readonly events: IHistoryEvent[];
  /** Whether older events were left out (the limit). */
  readonly truncated: boolean;
}

/**
 * Calls the history API (see `EnrolmentClient`: the token in a header,
 * no cookie, every answer fresh).
 */
export class HistoryClient {
  /**
   * @param target - The service's API URL, the page's token, the fetch.
   */
  constructor(target: RequestTarget.IHub) {
    this._target = target;
  }

  /**
   * `GET courses/<g>/history`: the newest events first.
   *
   * @param group - The course.
   * @param limit - At most this many events (1 to 5000).
   * @throws HubGroupsError (`not-a-manager`, …)
   */
  async history(group: string, limit = 1000): Promise<IHistory> {
    const body = await requestJson(this._target, this._path(group), {
      query: { limit }
    });
    return { events: readEvents(body), truncated: body?.truncated === true };
  }

  /**
   * `POST courses/<g>/history`: say that the panel added or removed people
   * (the service records what the hub confirms, with the caller as actor).
   *
   * @param group - The course.
   * @param kind - What was done.
   * @param users - To whom.
   * @returns Who was recorded.
   * @throws HubGroupsError
   */
  async report(
    group: string,
    kind: 'added' | 'removed',
    users: readonly string[]
  ): Promise<string[]> {
    const body = await requestJson(this._target, this._path(group), {
      method: 'POST',
      json: { kind, users }
    });
    return stringsOf(body?.recorded);
  }

  private _path(group: string): string {
    return `courses/${encodeURIComponent(group)}/history`;
  }

  private _target: RequestTarget.IHub;
}
