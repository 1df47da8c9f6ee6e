// The last lines of every `npm test`: what failed — counting test files that could not load (a peer
// missing, an import that throws), which vitest's own "Tests" line leaves out — and which suites were
// skipped and why. Runs after vitest's default reporter (vitest.config.ts lists both).
import type { SerializedError } from 'vitest';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/** A suite title may carry its reason, e.g. `PostgreSQL store (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)`. */
const reasonInTitle = /\(skipped: ([^)]*)\)/u;

function firstLine(error: SerializedError | undefined): string {
  return (error?.message ?? 'unknown error').split('\n')[0] ?? '';
}

/** Why a test was skipped: its note (`context.skip(note)`), else a reason in an enclosing suite's title. */
function skipReason(test: TestCase): string | undefined {
  const result = test.result();
  if (result.state === 'skipped' && result.note !== undefined && result.note !== '') return result.note;
  for (let parent: TestSuite | TestModule = test.parent; parent.type === 'suite'; parent = parent.parent) {
    const match = reasonInTitle.exec(parent.name);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export interface RunSummary {
  lines: string[];
  failures: number;
}

/** The summary lines for finished test modules; exported for the reporter's own test. */
export function summarise(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): RunSummary {
  const notLoaded: string[] = [];
  const failedOutsideTests: string[] = [];
  const skipped: string[] = [];
  let passed = 0;
  let failed = 0;
  let skippedTests = 0;
  for (const module of testModules) {
    const tests = [...module.children.allTests()];
    const errors = module.errors();
    if (errors.length > 0) {
      (tests.length === 0 ? notLoaded : failedOutsideTests).push(`${module.relativeModuleId}: ${firstLine(errors[0])}`);
    }
    const reasons = new Map<string, number>();
    for (const test of tests) {
      const state = test.result().state;
      if (state === 'passed') passed += 1;
      else if (state === 'failed') failed += 1;
      else if (state === 'skipped') {
        skippedTests += 1;
        const reason = skipReason(test) ?? 'no reason given';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    for (const [reason, count] of reasons) skipped.push(`${module.relativeModuleId}: ${plural(count, 'test')} skipped — ${reason}`);
  }
  const failures = notLoaded.length + failedOutsideTests.length + failed + unhandledErrors.length;
  const lines: string[] = [];
  if (notLoaded.length > 0) lines.push(`Test files that could not load (${notLoaded.length}):`, ...notLoaded.map((line) => `  ${line}`));
  if (failedOutsideTests.length > 0) lines.push(`Test files with errors outside their tests (${failedOutsideTests.length}):`, ...failedOutsideTests.map((line) => `  ${line}`));
  if (skipped.length > 0) lines.push(`Skipped (${skippedTests}):`, ...skipped.map((line) => `  ${line}`));
  const parts = [
    notLoaded.length > 0 ? plural(notLoaded.length, 'test file could not load', 'test files could not load') : undefined,
    failedOutsideTests.length > 0 ? plural(failedOutsideTests.length, 'test file failed outside its tests', 'test files failed outside their tests') : undefined,
    `${plural(failed, 'test')} failed`,
    unhandledErrors.length > 0 ? plural(unhandledErrors.length, 'unhandled error') : undefined,
  ].filter((part) => part !== undefined);
  const counts = `${passed} passed, ${skippedTests} skipped, in ${plural(testModules.length, 'test file')}`;
  lines.push(failures > 0 ? `Result: FAILED — ${plural(failures, 'failure')}: ${parts.join(', ')}; ${counts}.` : `Result: passed — ${parts.join(', ')}; ${counts}.`);
  return { lines, failures };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { lines, failures } = summarise(testModules, unhandledErrors);
    process.stdout.write(`\n${lines.join('\n')}\n`);
    // vitest already fails a run with a file that could not load; this keeps it so whatever else is configured.
    if (failures > 0) process.exitCode = 1;
  }
}
