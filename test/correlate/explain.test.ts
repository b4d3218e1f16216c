// explain on real snapshots: the seed host's pasted `ip addr` and `iptables -t nat -vnL` are explained line
// for line (the count: explained lines / lines = 100%), and the lab's iptables-save on 20.10 and 28.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { coverage, explainHost, type Notebook } from '../../src/correlate/explain.js';
import { explainRule, unknownOptions } from '../../src/correlate/explain-rules.js';
import { bridgeIdentities } from '../../src/correlate/docker-bridges.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { unknown } from '../../src/model/fact.js';
import { blankRule, type NatRule } from '../../src/model/nat-rule.js';
import { engineVersionFact } from '../../src/parse/engine-version.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { loadSnapshotDir } from '../../src/snapshot/load.js';
import { repoPath } from '../repo-path.js';
import { modeDescription } from '../../src/render/container-mode-words.js';
import { natWords } from '../../src/render/nat-words.js';
import { vethWords } from '../../src/render/veth-words.js';

async function notebookOf(dir: string): Promise<Notebook> {
  const snapshot = await loadSnapshotDir(repoPath(dir));
  const model = buildHostModel(snapshot);
  const map = correlateVethMap(model);
  const v = engineVersionFact(snapshot);
  return explainHost({
    snapshot,
    model,
    map,
    nat: correlateNat(model, map),
    natWords,
    vethWords,
    modeWords: modeDescription,
    engineVersion: v.known ? v.value.version : null,
  });
}

/** The seed's own paste, prompt lines cut (test/fixtures/seed keeps them: first and last line). */
function seedPaste(file: string): string[] {
  const lines = readFileSync(repoPath(`test/fixtures/seed/${file}`), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(1, -1);
}

test('seed: every line of the pasted `ip addr` and `iptables -t nat -vnL` has its sentence (100%)', async () => {
  const nb = await notebookOf('examples/seed-host');
  for (const [file, paste] of [
    ['host/ip-addr.txt', 'host-ip-addr.txt'],
    ['host/iptables-nat.txt', 'iptables-nat.txt'],
  ] as const) {
    const listing = nb.listings.find((l) => l.file === file);
    assert.ok(listing, file);
    // The listing is the seed's paste itself, line for line.
    assert.deepEqual(
      listing.lines.map((l) => l.text),
      seedPaste(paste),
      file,
    );
    const c = coverage(listing);
    const missing = listing.lines.filter((l) => l.explanation === null).map((l) => `${l.line}: ${l.text} (${l.reason})`);
    assert.deepEqual(missing, [], `${file}: unexplained lines`);
    assert.equal(c.explained / c.lines, 1, `${file}: ${c.explained}/${c.lines}`);
  }
  assert.deepEqual(nb.unexplained, []);
  const rules = nb.listings.find((l) => l.file === 'host/iptables-nat.txt')?.lines ?? [];
  const say = (text: string) => rules.find((l) => l.text.includes(text))?.explanation ?? '';
  assert.match(say('!127.0.0.0/8'), /except loopback, go through Docker's DNAT; loopback \(127\.0\.0\.1\) is left to docker-proxy/);
  assert.match(say('dpt:49154'), /host port 49154\/tcp: it goes to tomcat-tml 172\.17\.0\.3:8080\. 6 packet\(s\)/);
  assert.match(say('dpt:49155'), /host port 49155\/tcp: it goes to tomcat01 172\.17\.0\.2:8080/);
  assert.match(say('224.0.0.0/24'), /libvirt's virbr0 network \(192\.168\.122\.0\/24\), not Docker's/);
  assert.match(say('!docker0  172.17.0.0/16'), /reach beyond their bridge with the host's address/);
  assert.match(say('172.17.0.3           172.17.0.3'), /Hairpin NAT for 172\.17\.0\.3 \(tomcat-tml\)/);

  const interfaces = nb.sections.find((s) => s.id === 'interfaces')?.items.map((i) => i.subject);
  assert.deepEqual(interfaces, ['lo', 'ens33', 'virbr0', 'virbr0-nic', 'docker0']);
  const veths = nb.sections.find((s) => s.id === 'veths')?.items ?? [];
  assert.deepEqual(
    veths.map((v) => v.subject),
    ['veth1f00e42', 'vethd4ac7ba'],
  );
  assert.match(veths[1]?.text ?? '', /owner is unknown/);
  assert.equal(nb.sections.find((s) => s.id === 'networks')?.unknown?.startsWith('the network list is not in the data'), true);
  assert.match(nb.sections.find((s) => s.id === 'no-ip')?.items[0]?.text ?? '', /executable file not found/);
});

test('lab on Docker 20.10 and 28.5: every line of iptables-save explained, by generation', async () => {
  for (const dir of ['test/fixtures/lab-snapshot', 'test/fixtures/lab-snapshot-28']) {
    const nb = await notebookOf(dir);
    const save = nb.listings.find((l) => l.file === 'host/iptables-save.txt');
    assert.ok(save, dir);
    assert.deepEqual(
      save.lines.filter((l) => l.explanation === null).map((l) => `${l.line}: ${l.text}: ${l.reason}`),
      [],
      dir,
    );
    assert.ok(save.lines.length > 80);
    assert.match(
      nb.sections[0]?.items[0]?.text ?? '',
      dir.endsWith('28') ? /^Docker 28\.5\.2\S*: like 27 for NAT/ : /^Docker 20\.10\.24\S*: it writes iptables rules/,
    );
    const networks = nb.sections.find((s) => s.id === 'networks')?.items.map((i) => i.subject) ?? [];
    assert.ok(networks.includes('docknet-lab-macvlan') && networks.includes('ingress'), dir);
  }
  const nb28 = await notebookOf('test/fixtures/lab-snapshot-28');
  const raw =
    nb28.listings[0] &&
    nb28.listings
      .find((l) => l.file === 'host/iptables-save.txt')
      ?.lines.find((l) => /-A PREROUTING -d 10\.228\.0\.2\/32 ! -i docker0 -j DROP/.test(l.text));
  assert.match(raw?.explanation ?? '', /Docker 28 and later: packets for container 10\.228\.0\.2 \(tomcat-tml\)/);
});

test('a rule with an option docknet does not know is listed as unexplained, never half-said', () => {
  const rule: NatRule = {
    ...blankRule(),
    family: 'ipv4',
    table: 'nat',
    chain: 'PREROUTING',
    number: 1,
    line: 3,
    target: 'DNAT',
    matches: '-m set --match-set blocked src -j DNAT --to-destination 10.0.0.1:80',
    text: '-A PREROUTING -m set --match-set blocked src -j DNAT --to-destination 10.0.0.1:80',
  };
  assert.equal(unknownOptions(rule.matches), '-m set --match-set blocked src');
  const ctx = {
    identity: bridgeIdentities(unknown('not-in-data', 'x')),
    subnets: [],
    containerByIp: new Map(),
    nat: {
      available: true,
      reason: null,
      backend: null,
      publicationsKnown: true,
      publicationsReason: null,
      mappings: [],
      anomalies: [],
      notes: [],
      otherNetnsProxies: null,
    },
    engineMajor: null,
  };
  const e = explainRule(rule, ctx);
  assert.equal(e.text, null);
  assert.match('reason' in e ? e.reason : '', /options docknet does not know: -m set --match-set blocked src/);
  assert.equal(unknownOptions('-m addrtype --dst-type LOCAL -j DOCKER'), '');
  assert.equal(unknownOptions('tcp dpt:49154 to:172.17.0.3:8080'), '');
});

test("nftables (Docker 29's docker-bridges table, read from nft): every rule has its sentence; prompt lines are said to be prompts", async () => {
  const nb = await notebookOf('test/fixtures/pastes/nftables-post-2026-docker29-docker-bridges');
  const nft = nb.sections.find((s) => s.id === 'nftables');
  assert.ok(nft && nft.items.length > 0);
  assert.deepEqual(nb.unexplained, []);
  assert.ok(
    nft.items.some((i) => /Docker's publication of host port 8080\/tcp/.test(i.text)),
    JSON.stringify(nft.items.map((i) => i.text)),
  );
  const v6 = await notebookOf('test/fixtures/pastes/docker-ipv6nat-14-ip6tables-save-1.4.21');
  const first = v6.listings.find((l) => l.file === 'host/ip6tables-save.txt')?.lines[0];
  assert.match(first?.text ?? '', /^root@host01:~# ip6tables-save/);
  assert.match(first?.explanation ?? '', /shell prompt and the command/);
});
