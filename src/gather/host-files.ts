// Reads the host's kernel settings docknet doctor looks at: sysctls and loaded modules, as files.
import { existsSync, readFileSync } from 'node:fs';

/** sysctl name -> its file under /proc. */
export const SYSCTLS: Record<string, string> = {
  'net.ipv4.ip_forward': 'sys/net/ipv4/ip_forward',
  'net.ipv6.conf.all.forwarding': 'sys/net/ipv6/conf/all/forwarding',
  'net.bridge.bridge-nf-call-iptables': 'sys/net/bridge/bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables': 'sys/net/bridge/bridge-nf-call-ip6tables',
};

export interface HostSettingsRaw {
  /** Value as read, or null when the file does not exist (e.g. bridge-nf-* without br_netfilter). */
  sysctl: Record<string, string | null>;
  /** Whether /sys/module/<name> exists (loaded, or built into the kernel). */
  modules: Record<string, boolean>;
}

export function readHostSettings(procRoot: string, sysRoot: string): HostSettingsRaw {
  const sysctl: Record<string, string | null> = {};
  for (const [name, path] of Object.entries(SYSCTLS)) {
    try {
      sysctl[name] = readFileSync(`${procRoot}/${path}`, 'utf8').trim();
    } catch {
      sysctl[name] = null;
    }
  }
  return { sysctl, modules: { br_netfilter: existsSync(`${sysRoot}/module/br_netfilter`) } };
}
