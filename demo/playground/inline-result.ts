/**
 * The outcome of an action shown beside its control: the result in words,
 * or the EngineError code and message. Detail-view controls use it instead
 * of the banner, so the answer sits where the person clicked; it survives
 * the detail view's re-renders because the element is kept, not rebuilt.
 */
import { h, setAttr, setText } from './dom.js';
import { toPlainError } from './notices.js';

export class InlineResult {
  readonly el: HTMLElement;

  constructor(testid: string) {
    this.el = h('output', { class: 'inline-result', testid, 'aria-live': 'polite' });
  }

  /** Run `fn`; show what `describe` makes of its result, or the error. Never throws. */
  async run<T>(fn: () => Promise<T>, describe: (result: T) => { text: string; kind: string }): Promise<T | undefined> {
    setAttr(this.el, 'data-kind', 'pending');
    setText(this.el, '…');
    try {
      const result = await fn();
      const { text, kind } = describe(result);
      this.show(text, kind, 'ok');
      return result;
    } catch (err) {
      const plain = toPlainError(err);
      this.show(`${plain.code}: ${plain.message}`, plain.code, 'bad');
      return undefined;
    }
  }

  clear(): void {
    setText(this.el, '');
    setAttr(this.el, 'data-kind', null);
    this.el.className = 'inline-result';
  }

  private show(text: string, kind: string, tone: 'ok' | 'bad'): void {
    setText(this.el, text);
    setAttr(this.el, 'data-kind', kind);
    this.el.className = `inline-result tone-${tone}`;
  }
}
