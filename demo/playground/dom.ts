/**
 * Small DOM helpers. Every element is built with createElement and every
 * piece of text is set through textContent or an attribute, never parsed as
 * HTML, so user input (budget ids, lanes, failure reasons) cannot inject
 * markup. `escapeHtml` is for the rare string that must become HTML.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Props = Record<string, unknown>;

/** Escape text for use inside HTML markup or an attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Create an element. Props: `class`, `testid` (data-testid), `data-*` and
 * `aria-*` attributes, `onX` listeners (onClick, onSubmit, …), and any
 * element property (type, value, name, disabled, …).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'testid') el.setAttribute('data-testid', String(value));
    else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role' || key === 'for' || key === 'list') el.setAttribute(key, String(value));
    else if (/^on[A-Z]/.test(key) && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    else if (key in el) (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Set text only when it changed (no needless layout, selections survive). */
export function setText(el: Element | null | undefined, text: string | number): void {
  if (!el) return;
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function setAttr(el: Element | null | undefined, name: string, value: string | null): void {
  if (!el) return;
  if (value === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The first element with this data-testid inside `root`. */
export function byTestId<T extends Element = HTMLElement>(root: ParentNode, testid: string): T {
  const el = root.querySelector<T & Element>(`[data-testid="${CSS.escape(testid)}"]`);
  if (!el) throw new Error(`playground: no element with data-testid="${testid}"`);
  return el;
}

/**
 * Keep `parent`'s children in step with `items`, keyed: existing elements are
 * updated in place (so a button is never replaced under the pointer, and
 * focus stays where it was), new ones created, missing ones removed.
 */
export function syncList<T>(
  parent: HTMLElement,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => HTMLElement,
  update: (el: HTMLElement, item: T) => void,
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children) as HTMLElement[]) {
    if (child.dataset['key'] !== undefined) existing.set(child.dataset['key'], child);
    else child.remove();
  }
  let cursor: Element | null = parent.firstElementChild;
  for (const item of items) {
    const k = key(item);
    let el = existing.get(k);
    if (el) existing.delete(k);
    else {
      el = create(item);
      el.dataset['key'] = k;
    }
    update(el, item);
    if (el !== cursor) parent.insertBefore(el, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const el of existing.values()) el.remove();
}

/** Replace a <select>'s options only when the choice list changed, keeping the selection. */
export function syncOptions(select: HTMLSelectElement, options: readonly { value: string; label: string }[], placeholder?: string): void {
  const signature = JSON.stringify([placeholder ?? null, options]);
  if (select.dataset['options'] === signature) return;
  const selected = select.value;
  select.replaceChildren(
    ...(placeholder === undefined ? [] : [h('option', { value: '' }, placeholder)]),
    ...options.map((o) => h('option', { value: o.value }, o.label)),
  );
  select.dataset['options'] = signature;
  if (options.some((o) => o.value === selected)) select.value = selected;
}

/** A labelled form control: `<label>Text <control></label>`. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

/** A panel card: heading, one-line explanation, body. */
export function panel(id: string, title: string, blurb: string, ...body: Child[]): HTMLElement {
  return h(
    'section',
    { class: `panel panel-${id}`, id: `panel-${id}`, testid: `panel-${id}`, 'aria-labelledby': `panel-${id}-title` },
    h('header', { class: 'panel-head' }, h('h2', { id: `panel-${id}-title` }, title), h('p', { class: 'blurb' }, blurb)),
    ...body,
  );
}

/** Comma-separated list → trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A form input's value as an integer, or `fallback` when blank. */
export function intValue(input: HTMLInputElement, fallback?: number): number | undefined {
  const text = input.value.trim();
  if (text === '') return fallback;
  return Number(text);
}
