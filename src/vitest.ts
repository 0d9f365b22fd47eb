// paxcheck/vitest: `expect(check(protocol, options)).toHold()`. On failure the message is the
// violated property, the counterexample as `paxcheck replay` prints it, and the replay command;
// a `sometimes` never reached fails too, by name.

import { expect } from 'vitest';
import type { CheckResult } from './api/result.js';
import { formatResult } from './api/result.js';

export { check } from './api/check.js';

interface PaxcheckMatchers<R = unknown> {
  /** The check found no violation and reached every `sometimes`. */
  toHold(): R;
}

declare module 'vitest' {
  // Vitest declares Matchers<T = any>; a merged declaration must repeat its parameters exactly.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends PaxcheckMatchers<T> {}
}

const isResult = (v: unknown): v is CheckResult =>
  typeof v === 'object' && v !== null && 'verdict' in v && 'counterexample' in v && 'sometimes' in v;

expect.extend({
  toHold(received: unknown) {
    if (!isResult(received)) return { pass: false, message: () => 'toHold expects the result of check(protocol, options)' };
    const pass = received.ok;
    return {
      pass,
      message: () =>
        pass
          ? `expected a violation, but ${received.protocol} held: ${formatResult(received).split('\n')[0]}`
          : received.violation
            ? `${received.protocol} violates ${received.violation.property}\n${formatResult(received)}`
            : `${received.protocol}: never reached ${received.unreached.join(', ')}\n${formatResult(received)}`,
    };
  },
});
