// reach's renderers: the walk with its reply and suggestions in words, and the JSON of both commands,
// on the saved Docker 28.5 lab (test/fixtures/lab-snapshot-28).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

const LAB_28 = repoPath('test/fixtures/lab-snapshot-28');

test('reach text: the request, then the reply under its own heading numbered on, then the verdict', async () => {
  const r = await runCli(['reach', 'outside', 'host:49154', '--from', LAB_28]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const reply = lines.findIndex((l) => l.startsWith('the reply (conntrack ESTABLISHED'));
  const verdict = lines.findIndex((l) => l.startsWith('verdict: '));
  assert.ok(reply > 0 && verdict > reply, r.stdout);
  assert.match(
    lines[reply + 1] ?? '',
    /^ {2}9\. sent by tomcat-tml \(its veth on docker0\): 10\.228\.0\.2:8080 -> 198\.51\.100\.7:40000\/tcp$/,
  );
  assert.equal(lines[verdict], 'verdict: delivered: a client connects');
  assert.ok(!r.stdout.includes('suggestion'), 'no suggestion for a connection that works');
});

test('reach text: a suggestion is worded with its command, shell-quoted, and says docknet changes nothing', async () => {
  const r = await runCli(['reach', 'lab-noicc-a', 'lab-noicc-b:8080', '--from', LAB_28]);
  assert.match(r.stdout, /^suggestion \(docknet changes nothing\): docknet-lab-noicc was created with enable_icc=false/m);
  assert.match(r.stdout, /^ +iptables -I DOCKER-USER 1 -s 10\.223\.3\.2 -d 10\.223\.3\.3 -p tcp -m tcp --dport 8080 -j ACCEPT$/m);
});

test('reach --json: reply, decidedOnReply and advice with codes, facts and their words', async () => {
  const r = await runCli(['reach', 'lab-noicc-a', 'lab-noicc-b:8080', '--json', '--from', LAB_28]);
  const j = JSON.parse(r.stdout) as {
    schemaVersion: number;
    reply: unknown;
    decidedOnReply: boolean;
    advice: { code: string; network: string; dockerUser: string[]; text: string }[];
  };
  assert.equal(j.schemaVersion, 1);
  assert.equal(j.reply, null, 'a dropped request has no reply');
  assert.equal(j.decidedOnReply, false);
  assert.deepEqual(
    j.advice.map((a) => [a.code, a.network, a.dockerUser[2]]),
    [['docker-icc', 'docknet-lab-noicc', 'DOCKER-USER']],
  );
  assert.match(j.advice[0]?.text ?? '', /enable_icc=false/);
});

test('reach --exposure --json: each deciding rule once in rules; cells and flags refer to it by index', async () => {
  const r = await runCli(['reach', '--exposure', '--json', '--from', LAB_28]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as {
    sources: unknown[];
    rows: { cells: { decidedBy: number | null }[]; flags: { decidedBy: number | null }[] }[];
    rules: { table: string; chain: string; number: number }[];
  };
  const keys = j.rules.map((x) => `${x.table}/${x.chain}/${x.number}`);
  assert.equal(new Set(keys).size, keys.length, 'no rule listed twice');
  let refs = 0;
  for (const row of j.rows) {
    assert.equal(row.cells.length, j.sources.length);
    for (const c of [...row.cells, ...row.flags])
      if (c.decidedBy !== null) {
        refs++;
        assert.ok(Number.isInteger(c.decidedBy) && c.decidedBy >= 0 && c.decidedBy < j.rules.length);
      }
  }
  assert.ok(refs > j.rules.length, `${refs} references to ${j.rules.length} rules`);
});
