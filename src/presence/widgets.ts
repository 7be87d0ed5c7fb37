import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ModelView } from '../common/view';
import { PresenceModel } from './model';
import '../../style/presence.css';

/**
 * The "People here" side panel: everyone using this server, by hub identity.
 *
 * #### Notes
 * Names come from the hub and may contain markup: every value is text.
 */
export class PeopleHerePanel extends ModelView<PresenceModel> {
  /**
   * @param model - Who is here.
   * @param _trans - The translation bundle of this package.
   * @param options - `heading: false` where a section title already
   *   names the list (in jupyter-collaboration's panel).
   */
  constructor(
    model: PresenceModel,
    private readonly _trans: TranslationBundle,
    options: { heading?: boolean } = {}
  ) {
    super(model);
    this._heading = options.heading ?? true;
    this.addClass('jp-HubGroupsPresence');
    this.render();
  }

  protected render(): void {
    const trans = this._trans;
    const children: HTMLElement[] = [];
    if (this._heading) {
      const heading = document.createElement('h2');
      heading.className = 'jp-HubGroupsPresence-title';
      heading.textContent = trans.__('People here');
      children.push(heading);
    }
    const list = document.createElement('ul');
    list.className = 'jp-HubGroupsPresence-list';
    list.setAttribute('aria-label', trans.__('People using this server'));
    for (const person of this.model.people) {
      const item = document.createElement('li');
      item.className = 'jp-HubGroupsPresence-person';
      item.dataset.user = person.name;
      const name = document.createElement('span');
      name.className = 'jp-HubGroupsPresence-name';
      const who =
        person.displayName !== person.name
          ? trans.__('%1 (%2)', person.displayName, person.name)
          : person.name;
      name.textContent =
        person.name === this.model.me ? trans.__('%1 (you)', who) : who;
      const detail = document.createElement('span');
      detail.className = 'jp-HubGroupsPresence-detail';
      // The time apart, so that pictures of the panel can leave it out.
      const seen = document.createElement('span');
      seen.className = 'jp-HubGroupsPresence-seen';
      seen.textContent = trans.__(
        'active %1',
        Time.formatHuman(person.lastSeen)
      );
      if (person.current) {
        const current = document.createElement('span');
        current.className = 'jp-HubGroupsPresence-current';
        current.textContent = person.current;
        detail.append(current, ' · ', seen);
      } else {
        detail.appendChild(seen);
      }
      item.append(name, detail);
      list.appendChild(item);
    }
    children.push(list);
    if (this.model.status === 'stale') {
      const note = document.createElement('p');
      note.className = 'jp-HubGroupsPresence-error';
      note.textContent = trans.__(
        'The list could not be refreshed; it may be out of date.'
      );
      children.push(note);
    }
    this.node.replaceChildren(...children);
  }

  private _heading: boolean;
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
