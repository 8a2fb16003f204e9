/** The status pill in the header: saved or not, leader or follower. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtStatusPill extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The status pill in the header: saved or not, leader or follower. (coming)</p></section>`;
  }
}
defineElement('ff-dt-status-pill', DtStatusPill);
