import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { chartTools, chartsDir, run } from './support/tools.js';

const fixture = path.join(chartsDir, 'cartwheel-lib', 'test-chart');

describe('helm-unittest suites of the library chart (charts/cartwheel-lib/test-chart/tests)', function () {
  this.timeout(120_000);

  it('when the suites run, then every test in every suite passes', () => {
    const suites = readdirSync(path.join(fixture, 'tests')).filter((f) => f.endsWith('_test.yaml'));
    const declared = suites
      .map((f) => readFileSync(path.join(fixture, 'tests', f), 'utf8').match(/^ {2}- it: /gm)?.length ?? 0)
      .reduce((a, b) => a + b, 0);
    const result = run(chartTools().helmUnittest, ['--color=false', fixture]);
    const output = result.stdout + result.stderr;
    expect(result.status, output).to.equal(0);
    expect(output).to.include(`Test Suites: ${suites.length} passed, ${suites.length} total`);
    expect(output).to.include(`Tests:       ${declared} passed, ${declared} total`);
    expect(declared).to.be.at.least(40);
  });
});
