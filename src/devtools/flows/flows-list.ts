/** The flows list. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtFlowsList extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The flows list. (coming)</p></section>`;
  }
}
defineElement('ff-dt-flows', DtFlowsList);
