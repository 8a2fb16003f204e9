/** The executions board: a column per public state, and the create form. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtExecutionsBoard extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The executions board: a column per public state, and the create form. (coming)</p></section>`;
  }
}
defineElement('ff-dt-executions-board', DtExecutionsBoard);
