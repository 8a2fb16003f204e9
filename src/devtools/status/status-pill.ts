/** The status pill in the header: this tab's role, where the data is saved and whether it is yet. */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { BrowserBackendStatus } from '../../client/browser-backend.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { pillText } from './status-text.js';

export class DtStatusPill extends DtElement {
  static override properties: PropertyDeclarations = { status: { state: true } };
  declare status: BrowserBackendStatus | null;

  constructor() {
    super();
    this.status = null;
  }

  override async load(): Promise<void> {
    this.status = await this.store.backend.status();
  }

  override render(): unknown {
    const s = this.status;
    return html`<span class="pill" data-testid="status-pill" data-unsaved=${s ? String(s.unsavedChanges) : nothing} data-role=${s?.role ?? nothing}
      >${s ? pillText(s) : 'starting…'}</span
    >`;
  }
}
defineElement('ff-dt-status-pill', DtStatusPill);
