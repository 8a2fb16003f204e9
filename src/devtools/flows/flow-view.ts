/** One flow: its DAG, groups and members. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtFlowView extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">One flow: its DAG, groups and members. (coming)</p></section>`;
  }
}
defineElement('ff-dt-flow', DtFlowView);
