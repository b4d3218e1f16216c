// parseTranscript on the seed walkthrough and on real pasted sessions (test/fixtures/transcripts/ and
// the prompt-bearing pastes of the other fixture sets); the prompt pattern it shares with every parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { splitPromptLine } from '../../src/parse/listing-text.js';
import { parseIpAddrText } from '../../src/parse/ip-addr-text.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { parseTranscript, shellWords, type TranscriptImport } from '../../src/parse/transcript.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';
import { fixture } from './helpers.js';

function seedText(): string {
  return fixture('transcripts/seed-walkthrough.txt');
}

function cmd(r: TranscriptImport, line: number) {
  const c = r.commands.find((x) => x.line === line);
  assert.ok(c, `no recognised command at line ${line}: ${JSON.stringify(r.commands.map((x) => x.line))}`);
  return c;
}

function unknownAt(r: TranscriptImport, line: number) {
  const u = r.unknown.find((x) => x.line === line);
  assert.ok(u, `no unknown command at line ${line}: ${JSON.stringify(r.unknown.map((x) => x.line))}`);
  return u;
}

test('splitPromptLine: the prompt, the command after it, and who the shell is', () => {
  assert.deepEqual(splitPromptLine('[root@192 ~]# docker exec -it tomcat01 ip addr'), {
    prompt: '[root@192 ~]#',
    command: 'docker exec -it tomcat01 ip addr',
    sigilOnly: false,
    userHost: { user: 'root', host: '192' },
  });
  assert.equal(splitPromptLine('[root@192 ~]#')?.command, '');
  assert.deepEqual(splitPromptLine('ubuntu@ip-10-185-22-5:~$ sudo iptables -t nat -nvL')?.userHost, {
    user: 'ubuntu',
    host: 'ip-10-185-22-5',
  });
  assert.equal(splitPromptLine('root@50b626fc91d2:/usr/local/tomcat# ip addr')?.command, 'ip addr');
  assert.equal(splitPromptLine('$ docker ps')?.sigilOnly, true);
  assert.equal(splitPromptLine('/ # ifconfig')?.command, 'ifconfig');
  assert.equal(splitPromptLine('bash-4.2# brctl show')?.command, 'brctl show');
  assert.equal(splitPromptLine('➜  mailcow-dockerized git:(master) ip6tables -L -vn -t nat')?.command, 'ip6tables -L -vn -t nat');
  assert.equal(splitPromptLine('➜  ~ docker ps')?.command, 'docker ps');
  assert.equal(splitPromptLine('PS C:\\Users\\me> docker ps')?.command, 'docker ps');
  // A `$` inside the command is not the end of the prompt.
  assert.equal(splitPromptLine('root@host:~# docker inspect $(docker ps -q)')?.command, 'docker inspect $(docker ps -q)');
  assert.equal(splitPromptLine('    inet 127.0.0.1/8 scope host lo'), null);
  assert.equal(splitPromptLine('10: eth0@if11: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500'), null);
});

test('shellWords: quotes, $(...), and the pipes and redirections that make an output partial', () => {
  assert.deepEqual(shellWords(`docker exec web sh -c "ip addr"`).words, ['docker', 'exec', 'web', 'sh', '-c', 'ip addr']);
  assert.deepEqual(shellWords('docker inspect $(docker ps -q | head -1)'), {
    words: ['docker', 'inspect', '$(docker ps -q | head -1)'],
    ops: [],
  });
  assert.deepEqual(
    shellWords('iptables-save 2>&1 | grep DOCKER').ops.map((o) => o.op),
    ['2>&1', '|'],
  );
  assert.deepEqual(shellWords('ip addr > out.txt').ops[0], { op: '>', after: ['out.txt'] });
});

test('the seed walkthrough: the same five files as examples/seed-host, byte for byte', () => {
  const r = parseTranscript(seedText());
  assert.deepEqual([...r.files.keys()].sort(), [
    FACT.containerIpAddr('tomcat01'),
    FACT.dockerPs,
    FACT.dockerWarnings,
    FACT.ipAddrText,
    FACT.iptablesNat,
  ]);
  for (const [path, text] of r.files) assert.equal(text, readFileSync(repoPath(`examples/seed-host/${path}`), 'utf8'), path);
  assert.equal(r.commandCount, 13);
});

test('the seed walkthrough: what went where, the command given twice, and the exec that failed', () => {
  const r = parseTranscript(seedText());
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.endLine, c.file, c.outcome]),
    [
      [48, 70, FACT.ipAddrText, 'replaced'],
      [156, 158, FACT.dockerPs, 'written'],
      [165, 166, FACT.containerIpAddr('tomcat-tml'), 'error'],
      [171, 188, FACT.dockerWarnings, 'written'],
      [189, 197, FACT.containerIpAddr('tomcat01'), 'written'],
      [202, 234, FACT.ipAddrText, 'written'],
      [239, 262, FACT.iptablesNat, 'written'],
    ],
  );
  assert.equal(cmd(r, 48).note, 'the later output at line 202 is kept');
  assert.equal(cmd(r, 189).where, 'host');
  assert.equal(r.origins.get(FACT.ipAddrText)?.what, 'ip addr');
  assert.deepEqual(r.origins.get(FACT.ipAddrText)?.lines, [202, 234]);
  // The exec named the container by id; the transcript's own `docker run` output and `docker ps` name it.
  assert.match(cmd(r, 165).note ?? '', /^50b626fc91d2 is tomcat-tml \(`docker run`, line 142\); tool missing: OCI runtime exec failed/);
  assert.deepEqual(r.missing, [
    {
      path: FACT.containerIpAddr('tomcat-tml'),
      what: 'docker exec -it  50b626fc91d2 ip addr',
      reason:
        'tool missing: OCI runtime exec failed: exec failed: container_linux.go:380: starting container process caused: exec: "ip": executable file not found in $PATH: unknown',
      cause: 'tool-missing',
    },
  ]);
  assert.deepEqual(
    r.unknown.map((u) => [u.line, u.command]),
    [
      [13, 'docker version'],
      [83, 'docker network ls'],
      [142, 'docker run -d -P --name tomcat-tml tianmaolin/tml-mydockerfile-tomcat:1.0'],
      [153, 'docker images'],
      [167, 'docker exec -it  50b626fc91d2 /bin/bash'],
      [267, 'ping 172.17.0.2'],
    ],
  );
  assert.equal(unknownAt(r, 167).reason, 'opens a shell in tomcat-tml (50b626fc91d2)');
  // docker ps was taken before tomcat01 started: the snapshot says so rather than pretend one moment.
  assert.ok(
    r.issues.some(
      (i) =>
        i.line === 156 && /docker\/ps\.txt was listed before `docker run -d -P --name tomcat01 tomcat:8\.0` \(line 171\)/.test(i.reason),
    ),
    JSON.stringify(r.issues),
  );
});

test('sudo, a user@host:~$ prompt, a Markdown fence, and a warning line sudo printed into the output (moby#26391)', () => {
  const text = fixture('transcripts/moby-26391-sudo-iptables-nat-nvL.txt');
  const r = parseTranscript(text);
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.command, c.file, c.outcome]),
    [[2, 'sudo iptables -t nat -nvL', FACT.iptablesNat, 'written']],
  );
  const out = r.files.get(FACT.iptablesNat) as string;
  // Byte for byte from the line after the prompt to the end of the paste; no newline added after it.
  assert.equal(out, text.slice(text.indexOf('sudo: unable to resolve host')));
  assert.ok(out.startsWith('sudo: unable to resolve host ip-10-185-22-5\nChain PREROUTING'));
  assert.ok(
    r.issues.some((i) => i.line === 2 && /no prompt after its output \(the text ends\): the paste may end inside it/.test(i.reason)),
  );
  const parsed = parseIptablesNatText(out);
  assert.ok(parsed.value.rules.some((x) => x.target === 'DNAT'));
  assert.ok(
    parsed.issues.some((i) => /cut short/.test(i.reason)),
    'the parser can still tell the paste may be cut short',
  );
});

test('a denied command, then the same with sudo: the later output is the file and nothing is missing (kubernetes#11634)', () => {
  const r = parseTranscript(fixture('github-issues/kubernetes-11634-iptables-nat-L-n-v.txt'));
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.outcome]),
    [
      [1, 'error'],
      [4, 'written'],
    ],
  );
  assert.match(
    cmd(r, 1).note ?? '',
    /^needs root: iptables v1\.4\.21: can't initialize iptables table `nat': Permission denied \(you must be root\) \(run it with sudo\); the file is from line 4$/,
  );
  assert.deepEqual(r.missing, []);
  assert.ok((r.files.get(FACT.iptablesNat) as string).startsWith('Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n'));
});

test("a container's shell: its prompt (the short id as host name) files `ip addr` under the container (raid-zero.com)", () => {
  const r = parseTranscript(fixture('transcripts/raid-zero-docker-bridge-page4.txt'));
  assert.deepEqual([...r.files.keys()], [FACT.containerIpAddr('98c3dbff6afc')]);
  const c = cmd(r, 24);
  assert.equal(c.where, 'container 98c3dbff6afc');
  assert.equal(c.note, 'the container is known by its id 98c3dbff6afc only: its files are filed under it');
  assert.deepEqual(
    [unknownAt(r, 7).where, unknownAt(r, 7).reason],
    ['container 98c3dbff6afc', 'not a command docknet reads inside a container (it reads `ip addr` and `cat /etc/resolv.conf` there)'],
  );
  assert.equal(unknownAt(r, 44).reason, "docknet reads a container's `ip addr` text only");
  const links = parseIpAddrText(r.files.get(FACT.containerIpAddr('98c3dbff6afc')) as string).value;
  assert.deepEqual(
    links.map((l) => [l.name, l.peerIfindex]),
    [
      ['lo', null],
      ['eth0', 5],
    ],
  );
});

test('`docker run -it` opens a container shell; the host prompt after it is the host again (raid-zero.com)', () => {
  const text = fixture('transcripts/raid-zero-docker-bridge-page3.txt');
  const r = parseTranscript(text);
  assert.equal(unknownAt(r, 16).reason, 'starts a container and opens its shell');
  const c = cmd(r, 23);
  assert.deepEqual([c.where, c.file, c.outcome], ['host', FACT.ipAddrText, 'written']);
  const out = r.files.get(FACT.ipAddrText) as string;
  // The paste ends with a newline but no prompt: the output keeps no final newline, so it may be cut short.
  assert.ok(text.endsWith('\n') && !out.endsWith('\n'));
  assert.ok(out.endsWith('link/ether 72:f9:71:83:12:22 brd ff:ff:ff:ff:ff:ff link-netnsid 0'));
  assert.ok(parseIpAddrText(out).issues.some((i) => /cut short/.test(i.reason)));
});

test('network inspects typed twice: the last output wins, even when it cannot be read (Docker 1.9 docs)', () => {
  const r = parseTranscript(fixture('transcripts/moby-docs-dockernetworks-1.9.md'));
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.command, c.outcome]),
    [
      [5, 'docker network inspect bridge', 'replaced'],
      [47, 'docker network inspect bridge', 'unreadable'],
      [214, 'docker network inspect isolated_nw', 'replaced'],
      [250, 'docker network inspect isolated_nw', 'written'],
    ],
  );
  // The docs' second bridge inspect starts with `{[`: not JSON. The first one is older than the two
  // containers started between them, so it is not used in its place.
  const networks = JSON.parse(r.files.get(FACT.networks) as string) as { Name: string; Containers: object }[];
  assert.deepEqual(
    networks.map((n) => [n.Name, Object.keys(n.Containers).length]),
    [['isolated_nw', 1]],
  );
  assert.ok(r.issues.some((i) => i.line === 47 && /docker\/networks\.json: no JSON array in the output: left out/.test(i.reason)));
  assert.ok(r.issues.some((i) => /holds only the networks named on the command line/.test(i.reason)));
  // `docker attach container1` and the busybox prompt `/ #` after it: commands inside container1.
  assert.equal(unknownAt(r, 96).where, 'container container1');
  assert.equal(unknownAt(r, 148).where, 'container container2');
  assert.equal(unknownAt(r, 211).where, 'host');
});

test('a zsh prompt, and a prompt set in Markdown bold', () => {
  const zsh = parseTranscript(fixture('github-issues/mailcow-3016-iptables-and-ip6tables-nat-L-vn.txt'));
  assert.deepEqual(
    zsh.unknown.map((u) => [u.line, u.command]),
    [[8, 'ip6tables -L -vn -t nat']],
  );
  const bold = parseTranscript(fixture('github-links-bridges/mininet-831-ip-d-link-show-partial.txt'));
  assert.deepEqual(
    bold.commands.map((c) => [c.command, c.file]),
    [['ip -d link show', FACT.ipLinkText]],
  );
});

test('a session of commands docknet does not read gives no file, and lists every one (csdn blog)', () => {
  const r = parseTranscript(fixture('transcripts/csdn-docker0-netns-step-by-step.txt'));
  assert.equal(r.files.size, 0);
  assert.equal(r.commandCount, 15);
  assert.equal(r.unknown.length, 15);
  // `$` alone is a bare prompt: `ip netns` printed nothing before it.
  assert.deepEqual([unknownAt(r, 4).line, unknownAt(r, 4).endLine], [4, 4]);
});

test("iptables-save's own `#` lines are its output, not prompts, even after a bare `#` prompt", () => {
  const dump = fixture('live-debian12-docker20.10/iptables-save.txt');
  const r = parseTranscript(`# iptables-save\n${dump}# brctl show\nbridge name\tbridge id\t\tSTP enabled\tinterfaces\n# `);
  assert.equal(r.files.get(FACT.iptablesSave), dump);
  assert.deepEqual(parseIptablesSave(dump).issues, []);
  assert.equal(r.files.get(FACT.brctlShow), 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
});

test('partial listings are not files: pipes, one device, one chain, the filter table, a --format', () => {
  const out = fixture('seed/host-ip-addr.txt').split('\n').slice(1, -2).join('\n');
  const r = parseTranscript(
    [
      '$ ip addr | grep veth',
      out,
      '$ ip addr show docker0',
      out,
      '$ sudo iptables -t nat -L DOCKER -n',
      'Chain DOCKER (2 references)',
      '$ sudo iptables -L -n',
      'Chain INPUT (policy ACCEPT)',
      "$ docker ps --format '{{.Names}}'",
      'tomcat01',
      '$ ip -4 addr',
      out,
      '$ ',
    ].join('\n'),
  );
  assert.equal(r.files.size, 0);
  assert.deepEqual(
    r.unknown.map((u) => u.reason),
    [
      'its output was filtered through `| grep veth`: not the whole listing',
      '`docker0` shows part of the listing only',
      'lists the chain DOCKER only: not the whole table',
      'lists the filter table; docknet reads the nat table (`iptables -t nat -L -n -v`)',
      'a `--format` template, not the `docker ps` table',
      '`-4` shows one address family only',
    ],
  );
});

test('docker inspect outputs merge into one list, each container once; CRLF pastes keep their bytes', () => {
  const all = JSON.parse(fixture('lab-snapshot/docker/containers.json')) as { Id: string; Name: string }[];
  const web = all.find((c) => c.Name === '/lab-web');
  const tml = all.find((c) => c.Name === '/tomcat-tml');
  const show = (o: unknown) => JSON.stringify([o], null, 4);
  const text = [
    '[root@vm ~]# docker inspect lab-web',
    show(web),
    '[root@vm ~]# docker inspect tomcat-tml nosuch',
    show(tml),
    'Error: No such object: nosuch',
    '[root@vm ~]# docker inspect nosuch',
    '[]',
    'Error: No such object: nosuch',
    '[root@vm ~]# docker port lab-web',
    '[root@vm ~]# ',
  ]
    .join('\n')
    .replace(/\n/g, '\r\n');
  const r = parseTranscript(text);
  const merged = JSON.parse(r.files.get(FACT.containers) as string) as { Name: string }[];
  assert.deepEqual(
    merged.map((c) => c.Name),
    ['/lab-web', '/tomcat-tml'],
  );
  const by = (command: string) => r.commands.find((c) => c.command === command);
  assert.equal(by('docker inspect lab-web')?.outcome, 'merged');
  assert.match(by('docker inspect tomcat-tml nosuch')?.note ?? '', /^partly failed: failed: Error: No such object: nosuch$/);
  // Failed alone, but the file exists from the other inspects: not missing.
  assert.deepEqual(
    [by('docker inspect nosuch')?.outcome, by('docker inspect nosuch')?.note],
    ['error', 'failed: Error: No such object: nosuch'],
  );
  assert.deepEqual(r.missing, []);
  // `docker port` printing nothing before the next prompt: known to publish nothing.
  assert.equal(r.files.get(FACT.dockerPort('lab-web')), '');
  // Another command showing the same container again replaces the earlier output of it.
  const again = parseTranscript(['$ docker inspect lab-web', show(web), '$ docker container inspect lab-web', show(web), '$ '].join('\n'));
  assert.deepEqual(
    again.commands.map((c) => [c.line, c.outcome]),
    [
      [1, 'replaced'],
      [2 + show(web).split('\n').length, 'written'],
    ],
  );
  // One inspect alone is kept byte for byte, CRLF included.
  const one = parseTranscript(['$ docker inspect lab-web', show(web), '$ '].join('\n').replace(/\n/g, '\r\n'));
  assert.equal(one.files.get(FACT.containers), `${show(web).replace(/\n/g, '\r\n')}\r\n`);
});

test("docker exec's ways of naming a command, and the container's resolv.conf", () => {
  const resolv = fixture('live-debian12-proc-net/tomcat-tml-resolv.conf');
  const addr = fixture('seed/tomcat01-ip-addr.txt').split('\n').slice(1, -2).join('\n');
  const r = parseTranscript(
    [
      '$ docker exec tomcat01 sh -c "ip addr"',
      addr,
      '$ docker exec -it tomcat-tml cat /etc/resolv.conf',
      resolv.replace(/\n$/, ''),
      '$ docker exec -u root -it tomcat-tml ip -j addr',
      '[]',
      '$ docker exec 6cd417097796 hostname',
      '6cd417097796',
      '$ docker ps',
      fixture('seed/docker-ps.txt').split('\n').slice(1, -2).join('\n'),
      '$ ',
    ].join('\n'),
  );
  assert.equal(r.files.get(FACT.containerIpAddr('tomcat01')), `${addr}\n`);
  assert.deepEqual(JSON.parse(r.files.get(FACT.containerFiles('tomcat-tml')) as string), { resolvConf: resolv });
  assert.deepEqual(
    r.unknown.map((u) => u.reason),
    ["docknet reads a container's `ip addr` text only", 'runs `hostname` inside 6cd417097796: not a command docknet reads'],
  );
});

test("a shell opened with `docker exec -it NAME bash`: its prompt's short id becomes the name's alias; `exit` returns to the host", () => {
  const inside = fixture('seed/tomcat01-ip-addr.txt').split('\n').slice(1, -2).join('\n');
  const host = fixture('seed/host-ip-addr.txt').split('\n').slice(1, -2).join('\n');
  const r = parseTranscript(
    [
      '[root@192 ~]# docker exec -it tomcat01 bash',
      'root@6cd417097796:/usr/local/tomcat# ip addr',
      inside,
      'root@6cd417097796:/usr/local/tomcat# exit',
      'exit',
      '[root@192 ~]# ip addr',
      host,
      '[root@192 ~]# docker exec -it 6cd417097796 ip addr',
      inside,
      '[root@192 ~]#',
    ].join('\n'),
  );
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.where, c.file, c.outcome]),
    [
      [2, 'container tomcat01', FACT.containerIpAddr('tomcat01'), 'replaced'],
      [13, 'host', FACT.ipAddrText, 'written'],
      [46, 'host', FACT.containerIpAddr('tomcat01'), 'written'],
    ],
  );
  assert.equal(cmd(r, 46).note, '6cd417097796 is tomcat01 (the prompt of the shell opened in it, line 2)');
  assert.equal(unknownAt(r, 11).where, 'container tomcat01');
});

test('a command continued over several lines with `\\` is one command; its output starts after the last of them', () => {
  const ps = fixture('seed/docker-ps.txt').split('\n').slice(1, -2).join('\n');
  const r = parseTranscript(['$ docker ps \\', '>   --no-trunc \\', '>   -a', ps, '$ '].join('\n'));
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.command, c.file]),
    [[1, 'docker ps --no-trunc -a', FACT.dockerPs]],
  );
  assert.equal(r.files.get(FACT.dockerPs), `${ps}\n`);
});

test('`iptables -S` and `iptables -t nat -S` share host/iptables-S.txt, one listing after the other', () => {
  const filter = fixture('live-debian12-parsers/iptables-S.txt');
  const nat = fixture('live-debian12-parsers/iptables-t-nat-S.txt');
  const port = fixture('live-debian12-parsers/docker-port-lab-web.txt');
  const r = parseTranscript(
    `root@h:~# iptables -S\n${filter}root@h:~# iptables -t nat -S\n${nat}root@h:~# docker port lab-web\n${port}root@h:~# `,
  );
  assert.equal(r.files.get(FACT.iptablesS), filter + nat);
  assert.deepEqual(
    r.commands.map((c) => [c.file, c.outcome]),
    [
      [FACT.iptablesS, 'merged'],
      [FACT.iptablesS, 'merged'],
      [FACT.dockerPort('lab-web'), 'written'],
    ],
  );
  assert.equal(r.origins.get(FACT.iptablesS)?.what, 'iptables -S + iptables -t nat -S');
  assert.equal(r.files.get(FACT.dockerPort('lab-web')), port);
});
