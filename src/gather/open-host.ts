// The HostAccess for one --host URL: this machine's files and commands for unix://, none for tcp://
// (the Engine API alone cannot see the host's kernel), and everything over one connection for ssh://.
import { liveHost, type HostAccess } from './host-access.js';
import type { HostUrl } from './host-url.js';
import { sshHost } from './ssh-host.js';

export interface OpenedHost {
  host: HostAccess;
  /** Ends what opening started (the ssh master); resolves when it is gone. */
  close(): Promise<void>;
}

export const TCP_HOST_FACTS = "the Engine API over tcp cannot see the host's kernel (links, routes, rules, /proc); use ssh:// to read them";

export async function openHost(url: HostUrl, env: NodeJS.ProcessEnv): Promise<OpenedHost> {
  const none = async () => {};
  if (url.kind === 'unix') return { host: liveHost({ ...env, DOCKER_HOST: url.url }), close: none };
  if (url.kind === 'tcp') {
    const base = liveHost({ ...env, DOCKER_HOST: url.url });
    return {
      host: { ...base, runtimeRoots: [], identity: { hostname: null, kernel: null }, hostFactsUnknown: TCP_HOST_FACTS },
      close: none,
    };
  }
  return sshHost(url, env);
}
