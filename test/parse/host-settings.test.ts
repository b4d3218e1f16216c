// host/settings.json and docker/info.json read as Facts: a file that does not parse is "could not be
// read: <the JSON error>", never "not in the data"; a gathering failure keeps its reason and cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engineInfoFact, parseEngineInfo } from '../../src/parse/engine-info.js';
import { hostSettingsFact, parseHostSettings, settingUnknown } from '../../src/parse/host-settings.js';
import { FACT, emptySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';

const LAB_SETTINGS = readFileSync(repoPath('test/fixtures/lab-snapshot/host/settings.json'), 'utf8');

function snapshotWith(files: Record<string, string>): Snapshot {
  const s = emptySnapshot({ kind: 'saved', location: 'test' });
  for (const [path, text] of Object.entries(files)) s.facts.set(path, { path, text, origin: { kind: 'manual', what: path } });
  return s;
}

test("the lab host's settings.json reads whole, with no issue", () => {
  const p = parseHostSettings(LAB_SETTINGS);
  assert.deepEqual(p.issues, []);
  assert.equal(p.value?.sysctl['net.ipv4.ip_forward'], '1');
  assert.equal(p.value?.modules.br_netfilter, false);
});

test('a truncated settings.json is unreadable, with the JSON error: the Fact says "could not be read", not "not in the data"', () => {
  const cut = LAB_SETTINGS.slice(0, 60);
  const p = parseHostSettings(cut);
  assert.equal(p.value, null);
  assert.match(p.issues[0]?.reason ?? '', /^not valid JSON \(.+\)$/);
  const { fact } = hostSettingsFact(snapshotWith({ [FACT.hostSettings]: cut }));
  assert.equal(fact.known, false);
  assert.ok(!fact.known && fact.cause === 'failed');
  assert.ok(!fact.known && /^host\/settings\.json could not be read: not valid JSON \(.+\)$/.test(fact.reason), JSON.stringify(fact));
});

test('settings.json of the wrong shape: an array is unreadable; a value of the wrong type is an issue and unknown', () => {
  assert.equal(parseHostSettings('[]').value, null);
  const p = parseHostSettings(
    '{"sysctl": {"net.ipv4.ip_forward": 0, "net.ipv6.conf.all.forwarding": "1"}, "modules": {"br_netfilter": "yes"}}',
  );
  assert.deepEqual(p.value?.sysctl, { 'net.ipv6.conf.all.forwarding': '1' });
  assert.deepEqual(p.value?.modules, {});
  assert.equal(p.issues.length, 2);
  assert.ok(
    p.value && settingUnknown(p.value, 'sysctl', 'net.ipv4.ip_forward') === 'net.ipv4.ip_forward is unknown: not in host/settings.json',
  );
  assert.ok(p.value && settingUnknown(p.value, 'sysctl', 'net.ipv6.conf.all.forwarding') === null);
});

test('settings not gathered: the MissingFact reason and cause; absent without a word: not-in-data', () => {
  const s = snapshotWith({});
  assert.deepEqual(hostSettingsFact(s).fact, {
    known: false,
    cause: 'not-in-data',
    reason: 'kernel settings (/proc/sys, /sys/module) are not in the data',
  });
  s.missing.push({
    path: FACT.hostSettings,
    what: '/proc/sys/...',
    reason: 'reading /proc/sys/net/ipv4/ip_forward needs root',
    cause: 'needs-root',
  });
  assert.deepEqual(hostSettingsFact(s).fact, {
    known: false,
    cause: 'needs-root',
    reason: 'reading /proc/sys/net/ipv4/ip_forward needs root',
  });
});

test('engine info: the lab info.json reads; truncated is "could not be read"; an HTTP 500 keeps the engine words', () => {
  const text = readFileSync(repoPath('test/fixtures/lab-snapshot/docker/info.json'), 'utf8');
  assert.ok(parseEngineInfo(text).value !== null);
  const cut = engineInfoFact(snapshotWith({ [FACT.engineInfo]: text.slice(0, text.length / 2) })).fact;
  assert.ok(!cut.known && cut.cause === 'failed' && cut.reason.startsWith('docker/info.json could not be read: not valid JSON ('));
  const s = snapshotWith({});
  const reason = 'the Docker engine at unix:///var/run/docker.sock answered HTTP 500 to GET /info: context deadline exceeded';
  s.missing.push({ path: FACT.engineInfo, what: 'GET /info', reason, cause: 'failed' });
  assert.deepEqual(engineInfoFact(s).fact, { known: false, cause: 'failed', reason });
});
