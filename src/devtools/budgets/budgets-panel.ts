/** Budgets: cards, the create form, usage reports. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtBudgetsPanel extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">Budgets: cards, the create form, usage reports. (coming)</p></section>`;
  }
}
defineElement('ff-dt-budgets', DtBudgetsPanel);
