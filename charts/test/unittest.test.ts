import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { chartTools, chartsDir, run } from './support/tools.js';

/** The charts with helm-unittest suites: the library (through its fixture chart) and the umbrella. */
const suites = [
  { chart: 'cartwheel-lib/test-chart', covers: 'the library chart', atLeast: 40 },
  { chart: 'cartwheel', covers: 'the umbrella (Secrets generated once, kept by lookup)', atLeast: 6 },
];

describe('helm-unittest suites', function () {
  this.timeout(120_000);

  for (const { chart, covers, atLeast } of suites) {
    it(`when the suites of ${covers} run, then every test in every suite passes`, () => {
      const dir = path.join(chartsDir, chart);
      const files = readdirSync(path.join(dir, 'tests')).filter((f) => f.endsWith('_test.yaml'));
      const declared = files
        .map((f) => readFileSync(path.join(dir, 'tests', f), 'utf8').match(/^ {2}- it: /gm)?.length ?? 0)
        .reduce((a, b) => a + b, 0);
      const result = run(chartTools().helmUnittest, ['--color=false', dir]);
      const output = result.stdout + result.stderr;
      expect(result.status, output).to.equal(0);
      expect(output).to.include(`Test Suites: ${files.length} passed, ${files.length} total`);
      expect(output).to.include(`Tests:       ${declared} passed, ${declared} total`);
      expect(declared).to.be.at.least(atLeast);
    });
  }
});
