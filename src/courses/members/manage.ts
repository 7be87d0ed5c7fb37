import { ReadModel } from '../../common/readmodel';
import { MANAGE_ENDPOINT } from '../../tokens';
import { ManageClient } from '../client';

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
    this._client = new ManageClient(options.serverSettings);
  }

  /**
   * The groups the user may manage, sorted; none while refused or absent.
   */
  get groups(): readonly string[] {
    return this.value ?? [];
  }

  protected async read(): Promise<readonly string[]> {
    return this._client.groups();
  }

  private _client: ManageClient;
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
