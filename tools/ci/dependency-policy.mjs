// The dependency policy's decisions (docs/dependency-policy.md), kept free of I/O so that
// dependency-policy.spec.mjs can prove them: which advisories of `npm audit` block, which waivers
// hold, and which licences of production dependencies are allowed. audit.mjs and licences.mjs do
// the running and printing.

/** Advisories of these severities in production dependencies fail the check unless waived. */
export const BLOCKING_SEVERITIES = ['critical', 'high'];
export const SEVERITIES = ['critical', 'high', 'moderate', 'low', 'info'];

/** A waiver is looked at again at least this often: a later expiry date is refused. */
export const MAX_WAIVER_DAYS = 90;

/**
 * Licences a production dependency may carry without an exception: permissive ones, and MPL-2.0,
 * whose copyleft reaches only the files of the package itself (we use packages unmodified).
 */
export const ALLOWED_LICENCES = [
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'MPL-2.0',
  'Python-2.0',
  'Unlicense',
  'Zlib',
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i;

/** Today as YYYY-MM-DD in UTC, the form waivers' expiry dates are written in. */
export function isoDay(date = new Date()) {
  return date.toISOString().slice(0, 10);
}

function daysBetween(fromDay, toDay) {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000);
}

function validDay(day) {
  return typeof day === 'string' && DATE.test(day) && isoDay(new Date(`${day}T00:00:00Z`)) === day;
}

// ---------------------------------------------------------------------------------------------
// npm audit

/**
 * What `npm audit --json` printed: `{ kind: 'report', report }`, `{ kind: 'unavailable', reason }`
 * when the registry's advisory endpoint could not be asked or would not answer (network down, a
 * mirror without it), or `{ kind: 'error', reason }` for anything else (no lock file, bad output).
 */
export function readAuditOutput(stdout, stderr = '') {
  let json;
  try {
    json = JSON.parse(stdout);
  } catch {
    const said = firstLine(stderr) || firstLine(stdout) || 'no output';
    return { kind: 'error', reason: `npm audit printed no JSON: ${said}` };
  }
  if (json && typeof json === 'object' && json.auditReportVersion === 2 && json.vulnerabilities) {
    return { kind: 'report', report: json };
  }
  const message = String(json?.message ?? json?.error?.summary ?? '') || firstLine(stderr) || 'no message';
  const endpoint =
    /security\/(advisories|audits)/.test(message) ||
    /audit endpoint/.test(stderr) ||
    typeof json?.statusCode === 'number' ||
    /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/.test(message);
  return endpoint ? { kind: 'unavailable', reason: message } : { kind: 'error', reason: message };
}

function firstLine(text) {
  return (
    String(text)
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? ''
  );
}

/**
 * The advisories of a report, one per advisory and vulnerable package. Packages that are only
 * affected through a vulnerable dependency (`via` names a package, not an advisory) add nothing:
 * the advisory is listed under that dependency.
 */
export function advisoriesOf(report) {
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || via === null) continue;
      const ghsa = /GHSA(-[a-z0-9]{4}){3}/i.exec(via.url ?? '')?.[0];
      const advisory = {
        id: ghsa ?? String(via.source),
        source: via.source,
        package: via.name ?? vulnerability.name,
        severity: SEVERITIES.includes(via.severity) ? via.severity : 'high',
        title: via.title ?? '',
        url: via.url ?? '',
        range: via.range ?? '',
        nodes: vulnerability.nodes ?? [],
      };
      found.set(`${advisory.id} ${advisory.package}`, advisory);
    }
  }
  return [...found.values()].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.package.localeCompare(b.package),
  );
}

/**
 * Checks the waiver file's content. Returns `{ waivers, problems }`: every waiver needs an
 * advisory id (GHSA-… or npm's numeric id), the package, a reason and an expiry date no more than
 * MAX_WAIVER_DAYS ahead; an expired waiver is a problem whether or not its advisory is still
 * reported (renew it with a fresh reason, or delete it). Any problem fails the check.
 */
export function checkWaivers(file, today) {
  const problems = [];
  const list = Array.isArray(file?.waivers) ? file.waivers : null;
  if (!list) return { waivers: [], problems: ['the file must be an object with a "waivers" array'] };
  const waivers = [];
  list.forEach((waiver, index) => {
    const name = `waiver ${index + 1} (${waiver?.advisory ?? '?'} in ${waiver?.package ?? '?'})`;
    const wrong = [];
    if (typeof waiver?.advisory !== 'string' || !(GHSA.test(waiver.advisory) || /^\d+$/.test(waiver.advisory))) {
      wrong.push('"advisory" must be a GHSA-xxxx-xxxx-xxxx id or npm\'s numeric advisory id');
    }
    if (typeof waiver?.package !== 'string' || !waiver.package) wrong.push('"package" is missing');
    if (typeof waiver?.reason !== 'string' || waiver.reason.trim().length < 20) {
      wrong.push('"reason" must say why it is safe (20 characters at least)');
    }
    if (!validDay(waiver?.expires)) {
      wrong.push('"expires" must be a date, YYYY-MM-DD');
    } else if (waiver.expires < today) {
      wrong.push(`expired on ${waiver.expires}: renew it with a fresh reason, or delete it`);
    } else if (daysBetween(today, waiver.expires) > MAX_WAIVER_DAYS) {
      wrong.push(`"expires" is more than ${MAX_WAIVER_DAYS} days ahead`);
    }
    if (wrong.length) problems.push(`${name}: ${wrong.join('; ')}`);
    else waivers.push(waiver);
  });
  return { waivers, problems };
}

function waives(waiver, advisory) {
  return (
    waiver.package === advisory.package &&
    (waiver.advisory.toUpperCase() === advisory.id.toUpperCase() || waiver.advisory === String(advisory.source))
  );
}

/**
 * The audit's verdict on production dependencies. Each advisory gets a `decision`: `block`
 * (high or critical, not waived), `waived` (high or critical, under a valid waiver) or `report`
 * (moderate, low, info: shown, never blocking). `unusedWaivers` match no advisory any more.
 * `ok` is false when anything blocks or the waiver file has a problem.
 */
export function judgeAudit(report, waiverFile, today) {
  const { waivers, problems } = checkWaivers(waiverFile, today);
  const used = new Set();
  const advisories = advisoriesOf(report).map((advisory) => {
    if (!BLOCKING_SEVERITIES.includes(advisory.severity)) return { ...advisory, decision: 'report' };
    const waiver = waivers.find((w) => waives(w, advisory));
    if (!waiver) return { ...advisory, decision: 'block' };
    used.add(waiver);
    return { ...advisory, decision: 'waived', waiver };
  });
  const blocking = advisories.filter((a) => a.decision === 'block');
  return {
    ok: blocking.length === 0 && problems.length === 0,
    advisories,
    blocking,
    problems,
    unusedWaivers: waivers.filter((w) => !used.has(w)),
  };
}

/** Advisories in the whole tree that are not in the production report: dev-only, reported only. */
export function devOnlyAdvisories(fullReport, productionReport) {
  const production = new Set(advisoriesOf(productionReport).map((a) => `${a.id} ${a.package}`));
  return advisoriesOf(fullReport).filter((a) => !production.has(`${a.id} ${a.package}`));
}

/** "2 high, 1 moderate" */
export function countBySeverity(advisories) {
  return SEVERITIES.map((severity) => [severity, advisories.filter((a) => a.severity === severity).length])
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// Licences

/**
 * Whether an SPDX expression is satisfied by the allowed licences: `A OR B` needs one of them,
 * `A AND B` both, `X WITH exception` only when written so in the list. license-checker's marks
 * are understood: a trailing `*` (guessed from the licence file's text) and `+` (or later).
 * Anything unparsable — `UNKNOWN`, `Custom: …`, `UNLICENSED` — is not allowed.
 *
 * By hand rather than spdx-satisfies: that package is only the checker's own dependency, not
 * ours, and the allow-list holds exact ids, so AND, OR, WITH and parentheses are all we need.
 */
export function licenceAllowed(expression, allowed = ALLOWED_LICENCES) {
  const permitted = new Set(allowed);
  const tokens =
    String(expression)
      .trim()
      .replace(/\*$/, '')
      .match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++];

  function either() {
    let value = both();
    while (peek() === 'OR') {
      take();
      value = both() || value;
    }
    return value;
  }
  function both() {
    let value = one();
    while (peek() === 'AND') {
      take();
      value = one() && value;
    }
    return value;
  }
  function one() {
    const token = take();
    if (token === '(') {
      const value = either();
      if (take() !== ')') throw new SyntaxError('unbalanced parentheses');
      return value;
    }
    if (!token || ['AND', 'OR', 'WITH', ')'].includes(token) || !/^[A-Za-z0-9.+-]+$/.test(token)) {
      throw new SyntaxError(`unexpected ${token ?? 'end'}`);
    }
    const id = token.replace(/\+$/, '');
    if (peek() === 'WITH') {
      take();
      const exception = take();
      if (!exception || !/^[A-Za-z0-9.-]+$/.test(exception)) throw new SyntaxError('WITH needs an exception id');
      return permitted.has(`${id} WITH ${exception}`);
    }
    return permitted.has(id);
  }

  try {
    const value = either();
    return at === tokens.length && tokens.length > 0 && value;
  } catch {
    return false;
  }
}

/** "@scope/name@1.2.3" → ["@scope/name", "1.2.3"] */
export function splitPackageId(id) {
  const at = id.lastIndexOf('@');
  return at > 0 ? [id.slice(0, at), id.slice(at + 1)] : [id, ''];
}

/** license-checker gives a string, or an array for the old `licenses` field: each must be allowed. */
export function licenceText(licenses) {
  if (Array.isArray(licenses)) return licenses.length ? licenses.map(String).join(' AND ') : 'UNKNOWN';
  return licenses ? String(licenses) : 'UNKNOWN';
}

/**
 * Checks the exception file: `{ "exceptions": [{ "package", "licence", "reason" }] }`. An exception
 * holds for that package while it carries exactly that licence text, at any version, so a change
 * of licence is seen again.
 */
export function checkExceptions(file) {
  const list = Array.isArray(file?.exceptions) ? file.exceptions : null;
  if (!list) return { exceptions: [], problems: ['the file must be an object with an "exceptions" array'] };
  const exceptions = [];
  const problems = [];
  list.forEach((exception, index) => {
    const wrong = [];
    if (typeof exception?.package !== 'string' || !exception.package) wrong.push('"package" is missing');
    if (typeof exception?.licence !== 'string' || !exception.licence) wrong.push('"licence" is missing');
    if (typeof exception?.reason !== 'string' || exception.reason.trim().length < 20) {
      wrong.push('"reason" must say why it is acceptable (20 characters at least)');
    }
    if (wrong.length) problems.push(`exception ${index + 1} (${exception?.package ?? '?'}): ${wrong.join('; ')}`);
    else exceptions.push(exception);
  });
  return { exceptions, problems };
}

/**
 * The licence verdict on production packages (license-checker's JSON: "name@version" →
 * `{ licenses, path, … }`). `skip` names our own package. Each package is `allowed`, `excepted`
 * or `blocked`; `ok` is false when one is blocked or the exception file has a problem.
 */
export function judgeLicences(packages, exceptionFile, { skip = [] } = {}) {
  const { exceptions, problems } = checkExceptions(exceptionFile);
  const used = new Set();
  const results = [];
  for (const [id, info] of Object.entries(packages)) {
    if (skip.includes(id)) continue;
    const [name, version] = splitPackageId(id);
    const licence = licenceText(info?.licenses);
    const base = { id, name, version, licence, path: info?.path ?? '' };
    if (licenceAllowed(licence)) {
      results.push({ ...base, decision: 'allowed', guessed: /\*$/.test(licence) });
      continue;
    }
    const exception = exceptions.find((e) => e.package === name && e.licence === licence);
    if (exception) {
      used.add(exception);
      results.push({ ...base, decision: 'excepted', exception });
    } else {
      results.push({ ...base, decision: 'blocked' });
    }
  }
  const blocked = results.filter((r) => r.decision === 'blocked');
  return {
    ok: blocked.length === 0 && problems.length === 0,
    results,
    blocked,
    excepted: results.filter((r) => r.decision === 'excepted'),
    problems,
    unusedExceptions: exceptions.filter((e) => !used.has(e)),
  };
}
