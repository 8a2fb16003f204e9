/** The clock bar's advance buttons and its "advance by N units" form. */
import { html, type TemplateResult } from 'lit';

export const UNITS = { s: 1_000, min: 60_000, h: 3_600_000, day: 86_400_000 } as const;
export type Unit = keyof typeof UNITS;

/** One-click advances: testid suffix, label, milliseconds. */
const QUICK: [string, string, number][] = [
  ['1s', '+1 s', 1_000],
  ['1m', '+1 min', 60_000],
  ['1h', '+1 h', 3_600_000],
  ['1d', '+1 day', 86_400_000],
];

/**
 * `busy`: an advance is running, so every control is off. The options are
 * written out, not mapped, so they exist before the select's value is set
 * on the first render.
 */
export function advanceControls(busy: boolean, quick: (ms: number) => void, custom: (amount: number, unit: Unit) => void): TemplateResult {
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const amount = form.querySelector<HTMLInputElement>('[data-testid="clock-advance-amount"]')!;
    const unit = form.querySelector<HTMLSelectElement>('[data-testid="clock-advance-unit"]')!;
    // An empty or non-numeric amount reads as NaN, which the bar refuses with a typed error.
    custom(amount.value.trim() === '' ? Number.NaN : Number(amount.value), unit.value as Unit);
  };
  return html`${QUICK.map(
      ([id, label, ms]) => html`<button type="button" data-testid="clock-advance-${id}" ?disabled=${busy} @click=${() => quick(ms)}>${label}</button>`,
    )}
    <form class="clock-custom" novalidate @submit=${submit} aria-label="Advance by an amount">
      <input type="number" min="1" step="1" value="30" data-testid="clock-advance-amount" aria-label="Amount to advance" ?disabled=${busy} />
      <select data-testid="clock-advance-unit" aria-label="Unit" ?disabled=${busy}>
        <option value="s">s</option>
        <option value="min" selected>min</option>
        <option value="h">h</option>
        <option value="day">day</option>
      </select>
      <button type="submit" data-testid="clock-advance-go" ?disabled=${busy}>Advance</button>
    </form>`;
}
