/** Stub, replaced by its real component. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtWhyWaiting extends DtElement {
  static override properties = { executionId: {} };
  declare executionId: string;

  override render(): unknown {
    return html`<p class="muted">(coming)</p>`;
  }
}
defineElement('ff-dt-why-waiting', DtWhyWaiting);
