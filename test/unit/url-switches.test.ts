/** The app/fixture contract: the URL switches, and the fixture's check that the app honoured the clock one. */
import { describe, expect, it } from 'vitest';
import { backendOptionsFromUrl } from '../../src/index.js';
import { checkClock } from '../../src/testing/clock-switch.js';
import type { BackendStatus } from '../../src/worker/protocol.js';

describe('backendOptionsFromUrl', () => {
  it('reads the database name, the clock, its start and the test handle', () => {
    expect(backendOptionsFromUrl({ search: '?db=test-1-abc&clock=virtual&testHandle=1&clockStart=1800000000000' }, { name: 'app' })).toEqual({
      options: { name: 'test-1-abc', clock: 'manual', clockStartMs: 1_800_000_000_000 },
      testHandle: true,
    });
  });

  it('falls back to the defaults, and takes URLs and query strings alike', () => {
    expect(backendOptionsFromUrl(new URL('http://x/app'), { name: 'app' })).toEqual({ options: { name: 'app', clock: 'real' }, testHandle: false });
    expect(backendOptionsFromUrl('/app?store=s1&clock=real', { name: 'app', dbParam: 'store', clock: 'manual' }).options).toEqual({ name: 's1', clock: 'real' });
    expect(backendOptionsFromUrl('', { name: 'app', clock: 'manual' }).options.clock).toBe('manual');
  });

  it('refuses a clock or start it cannot honour, naming the switch', () => {
    expect(() => backendOptionsFromUrl('?clock=fast', { name: 'a' })).toThrow(expect.objectContaining({ code: 'validation.invalid_input', details: { field: 'clock' } }));
    expect(() => backendOptionsFromUrl('?clockStart=-5', { name: 'a' })).toThrow(expect.objectContaining({ details: { field: 'clockStart' } }));
  });
});

describe("the fixture's clock check", () => {
  const status = (clock: 'real' | 'manual') => async () => ({ clock }) as BackendStatus;

  it('passes when the app honoured the switch, or when none was sent', async () => {
    await expect(checkClock('virtual', status('manual'))).resolves.toBeUndefined();
    await expect(checkClock('real', status('real'))).resolves.toBeUndefined();
    await expect(checkClock(undefined, status('real'))).resolves.toBeUndefined();
  });

  it('names the missing switch when the app ignored it', async () => {
    await expect(checkClock('virtual', status('real'))).rejects.toThrow(/\?clock=virtual.*backendOptionsFromUrl/);
    await expect(checkClock('virtual', status('real'))).rejects.toMatchObject({ code: 'unavailable', details: { field: 'clock' } });
  });
});
