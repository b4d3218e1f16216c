// renderDoctorText and doctorJson: findings by severity with their evidence, why and fix; the checks
// that could not run; the summary; colour on the severity headings only when the IO allows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { known, unknown } from '../../src/model/fact.js';
import type { CheckOutcome, Finding } from '../../src/model/finding.js';
import { doctorJson, renderDoctorText, summarize } from '../../src/render/doctor.js';
import { hasAnsi, liveSnapshot, PIPED, savedSnapshot, stripAnsi, TTY_COLOUR, TTY_NO_COLOUR } from './values.js';

const ENGINE = known({ version: '20.10.24+dfsg1', apiVersion: '1.41' }, 'docker/version.json');

function finding(over: Partial<Finding> & Pick<Finding, 'check' | 'severity' | 'title'>): Finding {
  return { kind: over.check, subject: '', evidence: [], why: '', fix: '', changesHost: false, unproven: null, ...over };
}

function outcomes(): CheckOutcome[] {
  return [
    {
      check: 'forwarding',
      title: 'IP forwarding',
      status: 'ran',
      partial: null,
      reason: null,
      findings: [
        finding({
          check: 'forwarding',
          severity: 'error',
          title: 'IPv4 forwarding is off: containers cannot reach the outside',
          evidence: [{ source: 'host/settings.json', text: 'net.ipv4.ip_forward = 0' }],
          why: 'the kernel drops packets it would route between docker0 and the uplink',
          fix: 'sudo sysctl -w net.ipv4.ip_forward=1',
        }),
      ],
    },
    {
      check: 'mtu',
      title: 'MTU',
      status: 'ran',
      partial: null,
      reason: null,
      findings: [
        finding({
          check: 'mtu',
          severity: 'warning',
          title: 'docker0 MTU 1500 is above the uplink ens33 MTU 1450',
          evidence: [{ source: 'host/ip-addr.json', text: 'docker0 mtu 1500\nens33 mtu 1450' }],
          why: 'big packets are dropped or fragmented',
          fix: 'set "mtu": 1450 in /etc/docker/daemon.json',
        }),
        finding({
          check: 'mtu',
          severity: 'info',
          title: 'evil\u001b[2Jname uses the default MTU',
          evidence: [],
          why: 'nothing to do',
          fix: 'none',
        }),
      ],
    },
    {
      check: 'bridge-netfilter',
      title: 'bridge netfilter',
      status: 'skipped',
      partial: null,
      reason: 'kernel settings not in the data',
      findings: [],
    },
  ];
}

const TEXT = `Engine: Docker 20.10.24+dfsg1 (API 1.41)

Errors (1)
- IPv4 forwarding is off: containers cannot reach the outside
    evidence (host/settings.json): net.ipv4.ip_forward = 0
    why: the kernel drops packets it would route between docker0 and the uplink
    fix: sudo sysctl -w net.ipv4.ip_forward=1

Warnings (1)
- docker0 MTU 1500 is above the uplink ens33 MTU 1450
    evidence (host/ip-addr.json): docker0 mtu 1500
      ens33 mtu 1450
    why: big packets are dropped or fragmented
    fix: set "mtu": 1450 in /etc/docker/daemon.json

Info (1)
- evil\\x1b[2Jname uses the default MTU
    why: nothing to do
    fix: none

Skipped checks (not passed: they could not run)
- bridge netfilter: kernel settings not in the data

1 error(s), 1 warning(s), 1 info; 2 of 3 checks ran, 1 skipped.
`;

test('piped: errors, warnings, info, each with evidence (multi-line kept aligned), why and fix; skipped checks; the summary', () => {
  const out = renderDoctorText(PIPED(), outcomes(), liveSnapshot(), ENGINE);
  assert.equal(out, TEXT);
  assert.ok(!hasAnsi(out));
});

test('on a terminal with colour the headings are red, yellow and cyan; the words are the same; without colour, the piped text', () => {
  const out = renderDoctorText(TTY_COLOUR(), outcomes(), liveSnapshot(), ENGINE);
  assert.ok(out.includes('\n\n\u001b[31m\u001b[1mErrors (1)\u001b[22m\u001b[39m\n'), JSON.stringify(out.slice(0, 80)));
  assert.ok(out.includes('\u001b[33m\u001b[1mWarnings (1)'), 'warnings in yellow');
  assert.ok(out.includes('\u001b[36m\u001b[1mInfo (1)'), 'info in cyan');
  assert.equal(stripAnsi(out), TEXT);
  assert.equal(renderDoctorText(TTY_NO_COLOUR(), outcomes(), liveSnapshot(), ENGINE), TEXT);
});

test('nothing found: only the summary, after the saved-snapshot notice', () => {
  const clean: CheckOutcome[] = [{ check: 'forwarding', title: 'IP forwarding', status: 'ran', partial: null, reason: null, findings: [] }];
  assert.equal(
    renderDoctorText(PIPED(), clean, savedSnapshot(), ENGINE),
    'Describes a saved snapshot of host-a (taken 2026-11-28T10:00:00.000Z), loaded from snaps/host-a.tar.gz; not the live host.\n\nEngine: Docker 20.10.24+dfsg1 (API 1.41)\n\n0 error(s), 0 warning(s), 0 info; 1 of 1 checks ran.\n',
  );
});

test('an engine whose version is not in the data is said so, first', () => {
  const none = unknown('not-in-data', 'neither docker/version.json nor docker/info.json is in the data');
  assert.ok(
    renderDoctorText(PIPED(), [], liveSnapshot(), none).startsWith(
      'Engine version unknown: neither docker/version.json nor docker/info.json is in the data\n\n',
    ),
  );
  assert.deepEqual((doctorJson([], liveSnapshot(), none) as { engine: unknown }).engine, {
    known: false,
    reason: 'neither docker/version.json nor docker/info.json is in the data',
  });
});

test('a host-changing fix withheld for want of proof says what cannot be told yet and how to find out', () => {
  const o: CheckOutcome[] = [
    {
      check: 'veths',
      title: 'veths',
      status: 'ran',
      partial: 'the interfaces of 1 container are unknown',
      reason: null,
      findings: [
        finding({
          check: 'veths',
          kind: 'orphan-veth',
          subject: 'veth9a',
          severity: 'warning',
          title: 'veth9a on docker0 has no owner in the data',
          why: 'a veth left by a container that is gone keeps its bridge port',
          fix: 'docker ps -q | xargs docker inspect -f "{{.Name}} {{.State.Pid}}"',
          changesHost: true,
          unproven: 'the interfaces of db are unknown',
        }),
      ],
    },
  ];
  assert.equal(
    renderDoctorText(PIPED(), o, liveSnapshot(), ENGINE),
    `Engine: Docker 20.10.24+dfsg1 (API 1.41)

Warnings (1)
- veth9a on docker0 has no owner in the data
    why: a veth left by a container that is gone keeps its bridge port
    cannot tell yet: the interfaces of db are unknown
    to find out: docker ps -q | xargs docker inspect -f "{{.Name}} {{.State.Pid}}"

Checks that ran on part of their facts (finding nothing there is not a pass)
- veths: the interfaces of 1 container are unknown

0 error(s), 1 warning(s), 0 info; 1 of 1 checks ran.
`,
  );
});

test('many findings of one kind: the first five, a count of the rest, and all of them with --all', () => {
  const many = Array.from({ length: 7 }, (_, i) =>
    finding({ check: 'nat', kind: 'stale-rule', severity: 'warning', title: `stale rule ${i + 1}`, why: 'w', fix: 'f' }),
  );
  const o: CheckOutcome[] = [{ check: 'nat', title: 'NAT', status: 'ran', partial: null, reason: null, findings: many }];
  const text = renderDoctorText(PIPED(), o, liveSnapshot(), ENGINE);
  assert.deepEqual(text.match(/^- stale rule \d+$/gm), [
    '- stale rule 1',
    '- stale rule 2',
    '- stale rule 3',
    '- stale rule 4',
    '- stale rule 5',
  ]);
  assert.match(text, /^- 7 stale-rule findings in all: 5 shown; `docknet doctor --all` for every one$/m);
  assert.equal(renderDoctorText(PIPED(), o, liveSnapshot(), ENGINE, true).match(/^- stale rule \d+$/gm)?.length, 7);
});

test('JSON: schemaVersion 1, the summary, every check, and every finding once', () => {
  const o = outcomes();
  assert.deepEqual(summarize(o), { error: 1, warning: 1, info: 1, skipped: 1 });
  assert.deepEqual(JSON.parse(JSON.stringify(doctorJson(o, liveSnapshot(), ENGINE))), {
    schemaVersion: 1,
    snapshot: { source: 'live', location: null, takenAt: null, hostname: null },
    engine: { known: true, version: '20.10.24+dfsg1', apiVersion: '1.41', from: 'docker/version.json' },
    summary: { error: 1, warning: 1, info: 1, skipped: 1 },
    checks: o,
    findings: o.flatMap((x) => x.findings),
  });
});
