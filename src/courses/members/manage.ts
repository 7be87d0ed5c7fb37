import { ReadModel } from '../../common/readmodel';
import { MANAGE_ENDPOINT } from '../../tokens';
import { IManaged, ManageClient } from '../client';

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
export class CourseManagementModel extends ReadModel<IManaged> {
  /**
   * @param options - The server, and seconds between requests (60).
   */
  constructor(options: CourseManagementModel.IOptions) {
    super({
      name: MANAGE_ENDPOINT,
      interval: options.interval ?? 60,
      minInterval: CourseManagementModel.MIN_INTERVAL,
      auto: options.auto
    });
    this._client = new ManageClient(options.serverSettings);
  }

  /**
   * The groups the user may manage, sorted; none while refused or absent.
   */
  get groups(): readonly string[] {
    return this.value?.groups ?? [];
  }

  /**
   * What people read for a group: its course's title, else its name.
   */
  titleOf(group: string): string {
    return this.value?.titles.get(group) ?? group;
  }

  protected async read(): Promise<IManaged> {
    return this._client.managed();
  }

  private _client: ManageClient;
}

/**
 * A namespace for CourseManagementModel statics.
 */
export namespace CourseManagementModel {
  /**
   * The least interval between reads, in seconds.
   *
   * #### Notes
   * The schema's minimum (`schema/courses.json`, `interval`) says the same for the settings editor; a
   * jest spec (\`__tests__/courses/schema.spec.ts\`) holds the two equal.
   * The code does not import the schema: it lies outside tsc's \`rootDir\`
   * (\`src\`), and would put the whole schema into the page's start path
   * for one number.
   */
  export const MIN_INTERVAL = 5;

  /**
   * Options to create the model (interval: 60 s by default).
   */
  export type IOptions = ReadModel.IServerOptions;
}
