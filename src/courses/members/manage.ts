import { ReadModel } from '../../common/readmodel';
import { HubGroupsError, requestJson } from '../../common/request';
import { MANAGE_ENDPOINT } from '../../tokens';

/**
 * The groups the browser user may manage, as the hub says (`GET manage`),
 * kept fresh while the page is visible.
 *
 * #### Notes
 * The hub decides, from the page token's scopes (`groups!group=<g>`); no
 * setting can add a group here. A refusal (401, 403) or a server without
 * the endpoint (404) means none. A failure keeps the last answer
 * (`stale`): the endpoints of a group check again on every request.
 */
export class CourseManagementModel extends ReadModel<readonly string[]> {
  /**
   * @param options - The server, and seconds between requests (60).
   */
  constructor(options: CourseManagementModel.IOptions) {
    super({
      name: MANAGE_ENDPOINT,
      interval: options.interval ?? 60,
      auto: options.auto
    });
    this._serverSettings = options.serverSettings;
  }

  /**
   * The groups the user may manage, sorted; none while refused or absent.
   */
  get groups(): readonly string[] {
    return this.value ?? [];
  }

  protected async read(): Promise<readonly string[]> {
    const target = { serverSettings: this._serverSettings };
    try {
      return readManage(await requestJson(target, MANAGE_ENDPOINT));
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      // Any 404 (whatever its code) is a server without the endpoint here.
      throw error.status === 404
        ? new HubGroupsError(404, 'absent', error.serverMessage)
        : error;
    }
  }

  private _serverSettings: CourseManagementModel.IOptions['serverSettings'];
}

/**
 * A namespace for CourseManagementModel statics.
 */
export namespace CourseManagementModel {
  /**
   * Options to create the model (interval: 60 s by default).
   */
  export type IOptions = ReadModel.IServerOptions;
}

/**
 * The groups of a `GET manage` answer (or of the start-up answer's
 * `manage`), sorted.
 *
 * @param body - The answer's body.
 * @throws HubGroupsError (`bad-answer`) when it has no list of groups.
 */
export function readManage(body: any): readonly string[] {
  if (!body || !Array.isArray(body.groups)) {
    throw HubGroupsError.badAnswer('manage: no groups');
  }
  return body.groups
    .filter((g: unknown): g is string => typeof g === 'string' && g !== '')
    .sort();
}
