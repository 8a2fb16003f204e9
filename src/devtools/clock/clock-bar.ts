/** The clock bar: engine time, play/pause, advances. */
import { html } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';

export class DtClockBar extends DtElement {
  override render(): unknown {
    return html`<section class="card"><p class="muted">The clock bar: engine time, play/pause, advances. (coming)</p></section>`;
  }
}
defineElement('ff-dt-clock', DtClockBar);
