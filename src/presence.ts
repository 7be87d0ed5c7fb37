import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { EndpointPoller } from './poller';
import { ModelView } from './view';

/**
 * The path of our server extension's presence endpoint, below the base URL.
 */
export const PRESENCE_ENDPOINT = 'hub-groups/api/presence';

/**
 * Someone using this server.
 */
export interface IPerson {
  /** Hub user name. */
  name: string;
  /** Display name (the user name where none is known). */
  displayName: string;
  /** The document they last had open, if they said. */
  current: string | null;
  /** When the server last heard from them. */
  lastSeen: Date;
}

/**
 * What we read of jupyter-collaboration's awareness (a y-protocols
 * `Awareness`, provided as `IGlobalAwareness`).
 */
export interface IAwarenessLike {
  readonly clientID: number;
  getStates(): Map<number, { [key: string]: any }>;
  on(event: 'change', handler: () => void): void;
  off(event: 'change', handler: () => void): void;
}

/**
 * Who is using this server, from our server extension's presence endpoint,
 * which answers members of the server's groups only.
 *
 * #### Notes
 * One light request per interval, none while the page is hidden. The
 * request also tells the server which document this user has open.
 */
export class PresenceModel extends EndpointPoller {
  /**
   * @param options - Where to ask, how often, and what this user has open.
   */
  constructor(options: PresenceModel.IOptions) {
    super({
      serverSettings: options.serverSettings,
      endpoint: PRESENCE_ENDPOINT,
      interval: options.interval ?? 10, // seconds
      auto: options.auto
    });
    this._currentPath = options.currentPath;
  }

  /**
   * - `unknown`: no answer yet; `allowed`: the list is current;
   *   `forbidden`: this user may not see who is here (403);
   *   `error`: the last request failed (the list is the last one known).
   */
  get state(): 'unknown' | 'allowed' | 'forbidden' | 'error' {
    return this._state;
  }

  /**
   * Everyone here, this user included, sorted by name: the server's list,
   * completed by jupyter-collaboration's awareness where there is one (it
   * knows at once who joined, and which document each has open).
   */
  get people(): readonly IPerson[] {
    if (!this._awareness) {
      return this._people;
    }
    const byName = new Map(this._people.map(p => [p.name, { ...p }]));
    for (const [clientID, state] of this._awareness.getStates()) {
      const user = state?.user;
      if (
        clientID === this._awareness.clientID ||
        typeof user?.username !== 'string'
      ) {
        continue;
      }
      const current =
        typeof state.current === 'string'
          ? state.current.replace(/^[^:]*:(RTC:)?/, '') || null
          : null;
      const known = byName.get(user.username);
      if (known) {
        known.current = current ?? known.current;
      } else {
        byName.set(user.username, {
          name: user.username,
          displayName: String(user.display_name || user.name || user.username),
          current,
          lastSeen: new Date()
        });
      }
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * jupyter-collaboration's awareness, when the server has it.
   */
  set awareness(awareness: IAwarenessLike | null) {
    this._awareness?.off('change', this._onAwareness);
    this._awareness = awareness;
    awareness?.on('change', this._onAwareness);
    this._onAwareness();
  }

  dispose(): void {
    this._awareness?.off('change', this._onAwareness);
    super.dispose();
  }

  /**
   * This user's hub name, as the server saw it.
   */
  get me(): string | null {
    return this._me;
  }

  /**
   * Whether the list is worth showing: a shared server (one with groups
   * allowed to see it), or someone else is here.
   */
  get worthShowing(): boolean {
    return (
      (this._state === 'allowed' || this._state === 'error') &&
      (this._shared || this._people.some(p => p.name !== this._me))
    );
  }

  private _onAwareness = (): void => {
    this.emitIfChanged([this._state, this.people, this._me]);
  };

  protected query(): string {
    const current = this._currentPath();
    return current ? `?current=${encodeURIComponent(current)}` : '';
  }

  protected read(response: Response, body: any): void {
    if (response.status === 403 || response.status === 401) {
      // Not a member (or logged out): nothing to show.
      this._set('forbidden', [], null);
      return;
    }
    if (!response.ok || !body || !Array.isArray(body.people)) {
      this.failed();
      throw new Error(`presence: HTTP ${response.status}`);
    }
    const people: IPerson[] = body.people
      .filter((p: any) => p && typeof p.name === 'string')
      .map((p: any) => ({
        name: p.name,
        displayName:
          typeof p.display_name === 'string' && p.display_name
            ? p.display_name
            : p.name,
        current: typeof p.current === 'string' ? p.current : null,
        lastSeen: new Date(p.last_seen)
      }));
    this._shared = body.shared === true;
    this._set('allowed', people, typeof body.me === 'string' ? body.me : null);
  }

  protected failed(): void {
    this._set('error', this._people, this._me);
  }

  private _set(
    state: PresenceModel['state'],
    people: readonly IPerson[],
    me: string | null
  ): void {
    this._state = state;
    this._people = people;
    this._me = me;
    this.emitIfChanged([state, this.people, me]);
  }

  private _currentPath: () => string | null;
  private _state: PresenceModel['state'] = 'unknown';
  private _people: readonly IPerson[] = [];
  private _me: string | null = null;
  private _shared = false;
  private _awareness: IAwarenessLike | null = null;
}

/**
 * A namespace for PresenceModel statics.
 */
export namespace PresenceModel {
  /**
   * Options to create a presence model.
   */
  export interface IOptions extends EndpointPoller.IModelOptions {
    /** The document this user has open, sent with each request. */
    currentPath: () => string | null;
  }
}

/**
 * The "People here" side panel: everyone using this server, by hub identity.
 *
 * #### Notes
 * Names come from the hub and may contain markup: every value is text.
 */
export class PeopleHerePanel extends ModelView<PresenceModel> {
  constructor(
    model: PresenceModel,
    private readonly _trans: TranslationBundle
  ) {
    super(model);
    this.addClass('jp-HubGroupsPresence');
    this.render();
  }

  protected render(): void {
    const trans = this._trans;
    const heading = document.createElement('h2');
    heading.className = 'jp-HubGroupsPresence-title';
    heading.textContent = trans.__('People here');
    const list = document.createElement('ul');
    list.className = 'jp-HubGroupsPresence-list';
    list.setAttribute('aria-label', trans.__('People using this server'));
    for (const person of this.model.people) {
      const item = document.createElement('li');
      item.className = 'jp-HubGroupsPresence-person';
      item.dataset.user = person.name;
      const name = document.createElement('span');
      name.className = 'jp-HubGroupsPresence-name';
      name.textContent =
        person.displayName !== person.name
          ? `${person.displayName} (${person.name})`
          : person.name;
      if (person.name === this.model.me) {
        name.textContent += ` ${trans.__('(you)')}`;
      }
      const detail = document.createElement('span');
      detail.className = 'jp-HubGroupsPresence-detail';
      const seen = trans.__('active %1', Time.formatHuman(person.lastSeen));
      detail.textContent = person.current
        ? `${person.current} · ${seen}`
        : seen;
      item.append(name, detail);
      list.appendChild(item);
    }
    const children: HTMLElement[] = [heading, list];
    if (this.model.state === 'error') {
      const note = document.createElement('p');
      note.className = 'jp-HubGroupsPresence-error';
      note.textContent = trans.__(
        'The list could not be refreshed; it may be out of date.'
      );
      children.push(note);
    }
    this.node.replaceChildren(...children);
  }
}

/**
 * The status bar count of people here.
 */
export class PeopleHereCount extends ModelView<PresenceModel> {
  constructor(
    model: PresenceModel,
    private readonly _trans: TranslationBundle
  ) {
    super(model, { node: document.createElement('button') });
    this.addClass('jp-HubGroupsPresence-count');
    this.addClass('jp-StatusBar-TextItem');
    this.render();
  }

  protected render(): void {
    const count = this.model.people.length;
    this.node.textContent = this._trans._n(
      '%1 person here',
      '%1 people here',
      count
    );
    this.node.title = this.model.people.map(p => p.name).join(', ');
  }
}
