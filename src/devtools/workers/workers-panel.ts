/** The worker registry. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtWorkersPanel extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The worker registry. (coming)</p></section>`;
  }
}
defineElement('ff-dt-workers', DtWorkersPanel);
