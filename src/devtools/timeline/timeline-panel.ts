/** The event timeline. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtTimelinePanel extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The event timeline. (coming)</p></section>`;
  }
}
defineElement('ff-dt-timeline', DtTimelinePanel);
