/** The executions list: search, filters, pages. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtExecutionsList extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The executions list: search, filters, pages. (coming)</p></section>`;
  }
}
defineElement('ff-dt-executions-list', DtExecutionsList);
