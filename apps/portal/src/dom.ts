/** Small DOM helpers: the portal builds its tables and charts with these, no framework. */

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`class`, `data-*`, ...) and children; text is escaped. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** The element with this id (the page has it: index.html). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Replaces a table body's rows; one row saying `empty` when there are none. */
export function fillRows(
  body: HTMLTableSectionElement,
  rows: HTMLTableRowElement[],
  empty: string,
) {
  const columns = body.closest('table')?.querySelectorAll('thead th').length ?? 1;
  body.replaceChildren(
    ...(rows.length > 0
      ? rows
      : [el('tr', {}, el('td', { colspan: columns, class: 'empty' }, empty))]),
  );
}

/** A labelled figure for a card row: `label` above, `value` below. */
export function card(label: string, value: string, attributes: Record<string, string> = {}) {
  return el(
    'div',
    { class: 'card', ...attributes },
    el('span', { class: 'label' }, label),
    el('strong', {}, value),
  );
}

/** Shows `message` in an alert element (empty hides it). */
export function say(element: HTMLElement, message: string): void {
  element.textContent = message;
  element.hidden = message === '';
}
