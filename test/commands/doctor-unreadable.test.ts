// doctor on a copy of the lab's saved snapshot with one file damaged or one fact failed: each check
// that needed it says what happened to it, never "not in the data".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../snapshot/helpers.js';
import { repoPath } from '../repo-path.js';
import { runCli } from '../cli-helper.js';

async function labCopy(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const dir = join(await tempDir(t), 'lab');
  await cp(repoPath('test/fixtures/lab-snapshot'), dir, { recursive: true });
  return dir;
}

async function doctorJson(dir: string) {
  const r = await runCli(['doctor', '--json', '--from', dir]);
  assert.equal(r.stderr, '');
  return r.json() as { checks: { check: string; status: string; reason: string | null }[] };
}

const check = (j: Awaited<ReturnType<typeof doctorJson>>, id: string) => j.checks.find((c) => c.check === id);

test('a truncated host/settings.json: forwarding and br_netfilter say it could not be read, with the JSON error', async (t) => {
  const dir = await labCopy(t);
  const path = join(dir, 'host/settings.json');
  await writeFile(path, (await readFile(path, 'utf8')).slice(0, 60));
  const j = await doctorJson(dir);
  for (const id of ['forwarding', 'br-netfilter']) {
    const c = check(j, id);
    assert.equal(c?.status, 'skipped', id);
    assert.match(c?.reason ?? '', /^host\/settings\.json could not be read: not valid JSON \(.+\)$/, id);
    assert.doesNotMatch(c?.reason ?? '', /not in the data/);
  }
});

test('the intact lab snapshot: forwarding and br_netfilter run', async (t) => {
  const j = await doctorJson(await labCopy(t));
  assert.equal(check(j, 'forwarding')?.status, 'ran');
  assert.equal(check(j, 'br-netfilter')?.status, 'ran');
});

test('ip_forward unreadable on the host: forwarding is skipped saying so, not passed', async (t) => {
  const dir = await labCopy(t);
  const path = join(dir, 'host/settings.json');
  const s = JSON.parse(await readFile(path, 'utf8'));
  delete s.sysctl['net.ipv4.ip_forward'];
  s.unreadable = { 'net.ipv4.ip_forward': 'reading /proc/sys/net/ipv4/ip_forward needs root (permission denied)' };
  await writeFile(path, JSON.stringify(s));
  const c = check(await doctorJson(dir), 'forwarding');
  assert.equal(c?.status, 'skipped');
  assert.equal(c?.reason, 'net.ipv4.ip_forward is unknown: reading /proc/sys/net/ipv4/ip_forward needs root (permission denied)');
});

test('br_netfilter that could not be checked is not reported as "not loaded"', async (t) => {
  const dir = await labCopy(t);
  const path = join(dir, 'host/settings.json');
  const s = JSON.parse(await readFile(path, 'utf8'));
  s.modules = {};
  s.unreadable = { br_netfilter: 'could not read /sys/module/br_netfilter: ENOTDIR: not a directory' };
  await writeFile(path, JSON.stringify(s));
  const c = check(await doctorJson(dir), 'br-netfilter');
  assert.equal(c?.status, 'skipped');
  assert.equal(c?.reason, 'br_netfilter is unknown: could not read /sys/module/br_netfilter: ENOTDIR: not a directory');
});

test('GET /info failed when the snapshot was saved: rootless says the engine error, kept through the manifest', async (t) => {
  const dir = await labCopy(t);
  await rm(join(dir, 'docker/info.json'));
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  delete manifest.files['docker/info.json'];
  const reason = 'the Docker engine at unix:///var/run/docker.sock answered HTTP 500 to GET /info: context deadline exceeded';
  manifest.missing.push({ path: 'docker/info.json', what: 'GET /info', reason, cause: 'failed' });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const c = check(await doctorJson(dir), 'rootless');
  assert.equal(c?.status, 'skipped');
  assert.equal(c?.reason, reason);
});
