// The peers some suites need (PostgreSQL, Chromium): one rule for all of them. In CI (CI set to
// anything but "", "0" or "false") a missing peer fails the suite; elsewhere the suite is skipped
// and says why — its one skipped test carries the reason, which the summary reporter prints once at
// the end of the run. `npm run test:peers` starts the peers where the machine allows.
import { describe, it } from 'vitest';

/** CI=true (or any value but empty, 0 or false) means a missing peer is a failure, not a skip. */
export const inContinuousIntegration = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/**
 * Declares the suite when its peer is there (`missing` undefined). When it is not: throws in CI, so the
 * file fails; otherwise declares one skipped test whose note is `missing`.
 */
export function describeWithPeer(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  if (inContinuousIntegration) throw new Error(`${name}: ${missing}. CI must run this suite.`);
  describe(name, () => {
    it('is skipped: its peer is missing', (context) => {
      context.skip(missing);
    });
  });
}
