/** Status: persistence, schema, snapshots, reset. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtStatusPanel extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">Status: persistence, schema, snapshots, reset. (coming)</p></section>`;
  }
}
defineElement('ff-dt-status', DtStatusPanel);
