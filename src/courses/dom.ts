/**
 * DOM helpers of the courses' views (members panel, requests inbox, Join
 * dialog): small, with no dependency, so every room may import them.
 */

/**
 * An element with a class.
 *
 * @param tag - The element's tag.
 * @param className - Its classes.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

/**
 * A button with a text label and JupyterLab's classes.
 *
 * @param label - Its text.
 * @param className - Its classes (`jp-mod-styled jp-mod-accept`, …).
 */
export function button(label: string, className: string): HTMLButtonElement {
  const node = el('button', className);
  node.type = 'button';
  node.textContent = label;
  return node;
}

/**
 * A section named by its heading.
 *
 * @param className - The section's own class.
 * @param id - The heading's id (the section is labelled by it).
 */
export function section(
  className: string,
  id: string
): { node: HTMLElement; heading: HTMLElement } {
  const node = el('section', `jp-HubGroupsCourse-section ${className}`);
  const heading = el('h3', 'jp-HubGroupsCourse-heading');
  heading.id = id;
  node.setAttribute('aria-labelledby', id);
  node.append(heading);
  return { node, heading };
}

/**
 * The items of a list of names not changed, each with why (a member not
 * added, a request not decided).
 *
 * @param errors - The names and their error codes.
 * @param why - The sentence of one error.
 * @returns One `li` per name; names and sentences are text.
 */
export function nameErrorItems<E extends { name: string; error: string }>(
  errors: readonly E[],
  why: (e: E) => string
): HTMLLIElement[] {
  return errors.map(e => {
    const item = el('li', `jp-HubGroupsCourse-error jp-mod-${e.error}`);
    const name = el('span', 'jp-HubGroupsCourse-errorName');
    name.textContent = e.name;
    const text = el('span', 'jp-HubGroupsCourse-errorWhy');
    text.textContent = why(e);
    item.append(name, text);
    return item;
  });
}
