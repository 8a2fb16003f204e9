/** Register a custom element once: the devtools chunk may be evaluated twice (two bundles, HMR). */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}
