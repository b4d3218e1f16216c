// A throwaway sshd for the ssh transport's engine test: Debian's sshd started only inside the Docker 28
// lab host's network namespace on 127.0.0.1, with its own config, host key, authorized_keys and log in a
// temporary directory, a generated client key and a known_hosts written here (never ~/.ssh, never the
// machine's own sshd). Stopped, and everything removed, when the test ends, even on failure.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { execa } from 'execa';
import { must } from '../../lab/run.js';

export const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  dir: string;
  /** An ssh_config for DOCKNET_SSH_CONFIG: the client key, the known_hosts, strict host key checking. */
  clientConfig: string;
  /** sshd's log so far (LogLevel VERBOSE: a line per connection and per accepted key). */
  log(): Promise<string>;
  /** Every command a client asked this sshd to run, as it asked (logged by a ForceCommand that then runs it). */
  commands(): Promise<string[]>;
}

/** Logs the command a client asked for (base64, one a line, since a command may hold newlines), then runs it as sshd would. */
function loggingShell(logFile: string): string {
  return `#!/bin/sh
printf '%s' "$SSH_ORIGINAL_COMMAND" | base64 -w0 >>'${logFile}'
echo >>'${logFile}'
exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"
`;
}

/** Starts sshd in `netnsPath` (nsenter --net=); its privilege separation directory /run/sshd is made when absent and removed after. */
export async function startSshd(t: TestContext, netnsPath: string, port: number): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'docknet-sshd-'));
  let pid: number | undefined;
  const madePrivsep = !existsSync('/run/sshd');
  t.after(async () => {
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
    if (madePrivsep) await rmdir('/run/sshd').catch(() => {});
  });
  if (madePrivsep) await mkdir('/run/sshd', { mode: 0o755 });
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'docknet-test-host', '-f', join(dir, 'host_key')]);
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'docknet-test-client', '-f', join(dir, 'client_key')]);
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')), { mode: 0o600 });
  const hostPub = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
  ];
  const commandLog = join(dir, 'commands.log');
  await writeFile(join(dir, 'log-command.sh'), loggingShell(commandLog), { mode: 0o755 });
  config.push(`ForceCommand /bin/sh ${join(dir, 'log-command.sh')}`);
  await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  const client = [
    'Host *',
    `  IdentityFile ${join(dir, 'client_key')}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
  ];
  await writeFile(join(dir, 'ssh_config'), `${client.join('\n')}\n`);
  const log = join(dir, 'sshd.log');
  // -D: in the foreground, a child of this test (its pid stopped at the end); -E: the log file.
  const child = execa('nsenter', [`--net=${netnsPath}`, '--', SSHD, '-D', '-f', join(dir, 'sshd_config'), '-E', log], {
    reject: false,
    stdio: 'ignore',
  });
  pid = child.pid;
  child.catch(() => {});
  for (let i = 0; i < 100; i++) {
    const text = await readFile(log, 'utf8').catch(() => '');
    if (/Server listening on 127\.0\.0\.1 port/.test(text)) break;
    if (child.exitCode !== null) throw new Error(`sshd did not start: ${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const commands = async () =>
    (await readFile(commandLog, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => Buffer.from(l, 'base64').toString('utf8'));
  return { port, dir, clientConfig: join(dir, 'ssh_config'), log: () => readFile(log, 'utf8'), commands };
}
