// The dependency policy (docs/dependency-policy.md), proven on its pure decisions and on the two
// scripts run as processes against saved reports and a small package tree. Node's own test
// runner: Jest's projects cover apps/ and libs/ only; tools/dev/test.mjs runs this file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  advisoriesOf,
  checkWaivers,
  devOnlyAdvisories,
  isoDay,
  judgeAudit,
  judgeLicences,
  licenceAllowed,
  MAX_WAIVER_DAYS,
  readAuditOutput,
} from './dependency-policy.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TODAY = '2026-11-29';
const day = (offset, from = TODAY) => isoDay(new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000));

/** A vulnerable package in `npm audit --json` (report version 2), as npm 11 prints it. */
function vulnerability(name, severity, advisories, extra = {}) {
  return {
    name,
    severity,
    isDirect: false,
    via: advisories,
    effects: [],
    range: '<9.9.9',
    nodes: [`node_modules/${name}`],
    fixAvailable: true,
    ...extra,
  };
}
function advisory(name, severity, ghsa, source) {
  return {
    source,
    name,
    dependency: name,
    title: `A ${severity} flaw in ${name}`,
    url: `https://github.com/advisories/${ghsa}`,
    severity,
    cwe: ['CWE-400'],
    cvss: { score: 7.5, vectorString: null },
    range: '<9.9.9',
  };
}
function report(vulnerabilities) {
  return { auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: {}, dependencies: {} } };
}

const HIGH = advisory('path-to-regexp', 'high', 'GHSA-9wv6-86v2-598j', 1101850);
const CRITICAL = advisory('form-data', 'critical', 'GHSA-fjxv-7rqg-78g4', 1106508);
const MODERATE = advisory('brace-expansion', 'moderate', 'GHSA-v6h2-p8h4-qcjw', 1105443);
const LOW = advisory('cookie', 'low', 'GHSA-pxg6-pf52-xh8x', 1103907);
const PRODUCTION = report({
  'path-to-regexp': vulnerability('path-to-regexp', 'high', [HIGH]),
  // affected only through its dependency: the advisory is counted once, under path-to-regexp
  router: vulnerability('router', 'high', ['path-to-regexp'], { nodes: ['node_modules/router'] }),
  'brace-expansion': vulnerability('brace-expansion', 'moderate', [MODERATE]),
  cookie: vulnerability('cookie', 'low', [LOW]),
});

function waiver(overrides = {}) {
  return {
    advisory: HIGH.url.split('/').pop(),
    package: 'path-to-regexp',
    reason: 'only our fixed route patterns reach it, never user input',
    expires: day(30),
    ...overrides,
  };
}

describe('npm audit: what npm printed', () => {
  it('reads a report', () => {
    const read = readAuditOutput(JSON.stringify(PRODUCTION));
    assert.equal(read.kind, 'report');
    assert.equal(Object.keys(read.report.vulnerabilities).length, 4);
  });

  it('tells an advisory endpoint that refuses (a registry mirror without it) as unavailable, not as a pass', () => {
    // what npm 11 printed on this project's machines, whose registry answers GET only
    const stdout = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    });
    const read = readAuditOutput(stdout, 'npm error audit endpoint returned an error');
    assert.equal(read.kind, 'unavailable');
    assert.match(read.reason, /405 Method Not Allowed/);
  });

  it('tells a network that is down as unavailable', () => {
    const stdout = JSON.stringify({
      message:
        'request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9',
      error: { summary: '', detail: '' },
    });
    assert.equal(readAuditOutput(stdout, '').kind, 'unavailable');
  });

  it('tells anything else as an error: no lock file, output that is not JSON', () => {
    const noLock = JSON.stringify({
      error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' },
    });
    assert.deepEqual(readAuditOutput(noLock, ''), {
      kind: 'error',
      reason: 'This command requires an existing lockfile.',
    });
    assert.equal(readAuditOutput('', 'npm error code ENOENT').kind, 'error');
  });
});

describe('npm audit: which advisories block', () => {
  it('lists each advisory once, under the package it is in, the worst first', () => {
    const found = advisoriesOf(PRODUCTION);
    assert.deepEqual(
      found.map((a) => [a.id, a.package, a.severity]),
      [
        ['GHSA-9wv6-86v2-598j', 'path-to-regexp', 'high'],
        ['GHSA-v6h2-p8h4-qcjw', 'brace-expansion', 'moderate'],
        ['GHSA-pxg6-pf52-xh8x', 'cookie', 'low'],
      ],
    );
  });

  it('a high or a critical advisory in a production dependency fails', () => {
    const high = judgeAudit(PRODUCTION, { waivers: [] }, TODAY);
    assert.equal(high.ok, false);
    assert.deepEqual(
      high.blocking.map((a) => a.package),
      ['path-to-regexp'],
    );
    const critical = judgeAudit(
      report({ 'form-data': vulnerability('form-data', 'critical', [CRITICAL]) }),
      { waivers: [] },
      TODAY,
    );
    assert.equal(critical.ok, false);
  });

  it('moderate and low advisories are reported and do not fail', () => {
    const verdict = judgeAudit(
      report({
        'brace-expansion': vulnerability('brace-expansion', 'moderate', [MODERATE]),
        cookie: vulnerability('cookie', 'low', [LOW]),
      }),
      { waivers: [] },
      TODAY,
    );
    assert.equal(verdict.ok, true);
    assert.deepEqual(
      verdict.advisories.map((a) => a.decision),
      ['report', 'report'],
    );
  });

  it('a valid waiver of that advisory in that package lets the check pass', () => {
    const verdict = judgeAudit(PRODUCTION, { waivers: [waiver()] }, TODAY);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.advisories[0].decision, 'waived');
    assert.deepEqual(verdict.unusedWaivers, []);
  });

  it("a waiver may name npm's numeric advisory id instead of the GHSA id", () => {
    assert.equal(judgeAudit(PRODUCTION, { waivers: [waiver({ advisory: '1101850' })] }, TODAY).ok, true);
  });

  it('a waiver of the same advisory in another package, or of another advisory, waives nothing', () => {
    const otherPackage = judgeAudit(PRODUCTION, { waivers: [waiver({ package: 'router' })] }, TODAY);
    assert.equal(otherPackage.ok, false);
    assert.equal(otherPackage.unusedWaivers.length, 1);
    const otherAdvisory = judgeAudit(PRODUCTION, { waivers: [waiver({ advisory: 'GHSA-xxxx-xxxx-xxxx' })] }, TODAY);
    assert.equal(otherAdvisory.ok, false);
  });

  it('a waiver holds through its expiry day and fails the day after', () => {
    assert.equal(judgeAudit(PRODUCTION, { waivers: [waiver({ expires: TODAY })] }, TODAY).ok, true);
    const expired = judgeAudit(PRODUCTION, { waivers: [waiver({ expires: day(-1) })] }, TODAY);
    assert.equal(expired.ok, false);
    assert.deepEqual(
      expired.blocking.map((a) => a.package),
      ['path-to-regexp'],
    );
    assert.match(expired.problems[0], /expired on 2026-11-28/);
  });

  it('an expired waiver fails even when its advisory is no longer reported', () => {
    const verdict = judgeAudit(report({}), { waivers: [waiver({ expires: day(-1) })] }, TODAY);
    assert.equal(verdict.ok, false);
    assert.equal(verdict.blocking.length, 0);
    assert.equal(verdict.problems.length, 1);
  });

  it(`a waiver needs an advisory id, the package, a real reason and an expiry within ${MAX_WAIVER_DAYS} days`, () => {
    const { waivers, problems } = checkWaivers(
      {
        waivers: [
          waiver({ advisory: 'CVE-2024-45296' }),
          waiver({ package: '' }),
          waiver({ reason: 'fine' }),
          waiver({ expires: '2026-02-30' }),
          waiver({ expires: day(MAX_WAIVER_DAYS + 1) }),
          waiver({ expires: day(MAX_WAIVER_DAYS) }),
        ],
      },
      TODAY,
    );
    assert.equal(waivers.length, 1);
    assert.equal(problems.length, 5);
    assert.match(problems[0], /GHSA/);
    assert.match(problems[1], /"package"/);
    assert.match(problems[2], /"reason"/);
    assert.match(problems[3], /YYYY-MM-DD/);
    assert.match(problems[4], /more than 90 days ahead/);
    assert.deepEqual(checkWaivers([], TODAY).problems, ['the file must be an object with a "waivers" array']);
  });

  it("dev dependencies' advisories are those of the whole tree not in the production report", () => {
    const jestOnly = advisory('minimatch', 'high', 'GHSA-3ppc-4f35-3m26', 1113371);
    const whole = report({
      ...PRODUCTION.vulnerabilities,
      minimatch: vulnerability('minimatch', 'high', [jestOnly]),
    });
    assert.deepEqual(
      devOnlyAdvisories(whole, PRODUCTION).map((a) => a.package),
      ['minimatch'],
    );
  });
});

describe('licences: which are allowed', () => {
  it('allows the permissive licences and MPL-2.0, alone or combined', () => {
    for (const licence of [
      'MIT',
      'ISC',
      'Apache-2.0',
      'BSD-2-Clause',
      'BSD-3-Clause',
      '0BSD',
      'BlueOak-1.0.0',
      'MIT-0',
      'CC0-1.0',
      'Unlicense',
      'MPL-2.0',
      '(MIT AND BSD-3-Clause)',
      '(MIT OR GPL-3.0-only)',
      '(GPL-2.0-only OR (MIT AND Apache-2.0))',
      'MIT*',
      'Apache-2.0+',
    ]) {
      assert.equal(licenceAllowed(licence), true, licence);
    }
  });

  it('refuses copyleft, source-available, unknown, custom and malformed licences', () => {
    for (const licence of [
      'GPL-3.0-only',
      'AGPL-3.0-or-later',
      'LGPL-2.1-only',
      'SSPL-1.0',
      'Elastic-2.0',
      'BUSL-1.1',
      'CC-BY-NC-4.0',
      '(MIT AND GPL-3.0-only)',
      'UNKNOWN',
      'UNLICENSED',
      'Custom: https://example.org/licence.txt',
      '(MIT',
      'MIT OR',
      'MIT Apache-2.0',
      '',
      'GPL-2.0-only WITH Classpath-exception-2.0',
    ]) {
      assert.equal(licenceAllowed(licence), false, licence);
    }
  });

  it('allows a licence with an exception only when the list names it so', () => {
    const listed = ['MIT', 'GPL-2.0-only WITH Classpath-exception-2.0'];
    assert.equal(licenceAllowed('GPL-2.0-only WITH Classpath-exception-2.0', listed), true);
    assert.equal(licenceAllowed('GPL-2.0-only', listed), false);
  });
});

describe('licences: the verdict on the production tree', () => {
  const tree = {
    'otklik@0.1.0': { licenses: 'UNLICENSED', path: '/repo' },
    'express@5.3.0': { licenses: 'MIT', path: '/repo/node_modules/express' },
    'guessed@1.0.0': { licenses: 'ISC*', path: '/repo/node_modules/guessed' },
    '@apollo/gateway@2.14.4': { licenses: 'Elastic-2.0', path: '/repo/node_modules/@apollo/gateway' },
    'copyleft@2.0.0': { licenses: 'GPL-3.0-only', path: '/repo/node_modules/copyleft' },
    'both@1.0.0': { licenses: ['MIT', 'GPL-2.0-only'], path: '/repo/node_modules/both' },
  };
  const gateway = {
    package: '@apollo/gateway',
    licence: 'Elastic-2.0',
    reason: 'run in-house, not offered as a service',
  };

  it('skips our own package, excepts what the file names and blocks the rest', () => {
    const verdict = judgeLicences(tree, { exceptions: [gateway] }, { skip: ['otklik@0.1.0'] });
    assert.equal(verdict.ok, false);
    assert.deepEqual(
      verdict.blocked.map((r) => r.id),
      ['copyleft@2.0.0', 'both@1.0.0'],
    );
    assert.deepEqual(
      verdict.excepted.map((r) => r.id),
      ['@apollo/gateway@2.14.4'],
    );
    assert.equal(verdict.results.length, 5);
    assert.equal(verdict.results.find((r) => r.name === 'guessed').guessed, true);
  });

  it('an exception holds at any version but not for another licence', () => {
    const relicensed = { '@apollo/gateway@3.0.0': { licenses: 'BUSL-1.1', path: '' } };
    assert.equal(judgeLicences(relicensed, { exceptions: [gateway] }).ok, false);
    const upgraded = { '@apollo/gateway@2.99.0': { licenses: 'Elastic-2.0', path: '' } };
    assert.equal(judgeLicences(upgraded, { exceptions: [gateway] }).ok, true);
  });

  it('an exception without a reason is a problem; one that matches nothing is reported', () => {
    const verdict = judgeLicences(
      { 'express@5.3.0': { licenses: 'MIT' } },
      { exceptions: [{ package: 'x', licence: 'GPL-3.0-only', reason: '' }, gateway] },
    );
    assert.equal(verdict.ok, false);
    assert.match(verdict.problems[0], /"reason"/);
    assert.deepEqual(verdict.unusedExceptions, [gateway]);
  });
});

describe('the scripts', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-dependency-policy-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const write = (file, content) => {
    const full = path.join(scratch, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
    return full;
  };
  const run = (script, args) =>
    spawnSync(process.execPath, [path.join(here, script), ...args], { encoding: 'utf8', timeout: 60_000 });

  it('audit.mjs fails a saved report with a high advisory, and passes it once the advisory is waived', () => {
    const saved = write('audit.json', PRODUCTION);
    const none = write('none.json', { waivers: [] });
    const blocked = run('audit.mjs', ['--report', saved, '--waivers', none]);
    assert.equal(blocked.status, 1, blocked.stdout + blocked.stderr);
    assert.match(blocked.stdout, /BLOCKS {2}high GHSA-9wv6-86v2-598j in path-to-regexp/);
    assert.match(blocked.stdout, /FAILED — 1 high\/critical advisory/);

    const waived = write('waived.json', { waivers: [waiver({ expires: day(30, isoDay()) })] });
    const passed = run('audit.mjs', ['--report', saved, '--waivers', waived]);
    assert.equal(passed.status, 0, passed.stdout + passed.stderr);
    assert.match(passed.stdout, /waived {2}high GHSA-9wv6-86v2-598j/);
    assert.match(passed.stdout, /audit: production dependencies pass.*1 waived.*reported: 1 moderate, 1 low/);
  });

  it('audit.mjs says loudly when the advisory endpoint could not be asked; --strict makes that a failure', () => {
    const saved = write(
      'unreachable.json',
      JSON.stringify({
        message: 'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: ETIMEDOUT',
      }),
    );
    const none = write('none.json', { waivers: [] });
    const warned = run('audit.mjs', ['--report', saved, '--waivers', none]);
    assert.equal(warned.status, 0);
    assert.match(warned.stdout, /audit: NOT AUDITED — .*ETIMEDOUT.*a warning, not a failure/);
    assert.equal(run('audit.mjs', ['--report', saved, '--waivers', none, '--strict']).status, 1);

    const expired = write('expired.json', { waivers: [waiver({ expires: day(-1, isoDay()) })] });
    const stale = run('audit.mjs', ['--report', saved, '--waivers', expired]);
    assert.equal(stale.status, 1, 'an expired waiver fails even when nothing could be audited');
    assert.match(stale.stdout, /expired on/);
  });

  it('licences.mjs reads the production tree only: a GPL dependency fails, a GPL dev dependency does not', () => {
    const project = path.join(scratch, 'project');
    const manifest = (name, license, more = {}) => ({ name, version: '1.0.0', license, ...more });
    write('project/package.json', {
      ...manifest('fixture', 'UNLICENSED', { private: true }),
      dependencies: { permissive: '1.0.0', copyleft: '1.0.0' },
      devDependencies: { 'dev-copyleft': '1.0.0' },
    });
    write('project/node_modules/permissive/package.json', manifest('permissive', 'MIT'));
    write('project/node_modules/copyleft/package.json', manifest('copyleft', 'GPL-3.0-only'));
    write('project/node_modules/dev-copyleft/package.json', manifest('dev-copyleft', 'AGPL-3.0-only'));
    const none = write('no-exceptions.json', { exceptions: [] });

    const blocked = run('licences.mjs', ['--start', project, '--exceptions', none]);
    assert.equal(blocked.status, 1, blocked.stdout + blocked.stderr);
    assert.match(blocked.stdout, /BLOCKS {2}copyleft@1\.0\.0 {2}GPL-3\.0-only/);
    assert.doesNotMatch(blocked.stdout, /dev-copyleft|fixture@/);
    assert.match(blocked.stdout, /1 of 2 production packages/);

    const excepted = write('exceptions.json', {
      exceptions: [
        { package: 'copyleft', licence: 'GPL-3.0-only', reason: 'a test of the exception file, nothing more' },
      ],
    });
    const passed = run('licences.mjs', ['--start', project, '--exceptions', excepted]);
    assert.equal(passed.status, 0, passed.stdout + passed.stderr);
    assert.match(passed.stdout, /licences: 2 production packages pass, 1 by exception \(GPL-3\.0-only: copyleft\)/);
  });

  it('the checked-in waivers and exceptions are valid files', () => {
    const waivers = JSON.parse(fs.readFileSync(path.join(here, 'audit-waivers.json'), 'utf8'));
    assert.deepEqual(checkWaivers(waivers, isoDay()).problems, []);
    const exceptions = JSON.parse(fs.readFileSync(path.join(here, 'licence-exceptions.json'), 'utf8'));
    assert.deepEqual(judgeLicences({}, exceptions).problems, []);
  });
});
