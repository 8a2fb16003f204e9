/** Quota policies and their admission. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtQuotasPanel extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">Quota policies and their admission. (coming)</p></section>`;
  }
}
defineElement('ff-dt-quotas', DtQuotasPanel);
