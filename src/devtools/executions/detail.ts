/** One execution in the drawer. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtExecutionDetail extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">One execution in the drawer. (coming)</p></section>`;
  }
}
defineElement('ff-dt-execution-detail', DtExecutionDetail);
