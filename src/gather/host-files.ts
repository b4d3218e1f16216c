// Reads the host's kernel settings docknet doctor looks at: sysctls and loaded modules, as files.
import { readFileSync, statSync } from 'node:fs';
import { isGone, readFailure } from './read-error.js';

/** sysctl name -> its /proc/sys file. */
export const SYSCTLS: Record<string, string> = {
  'net.ipv4.ip_forward': '/proc/sys/net/ipv4/ip_forward',
  'net.ipv6.conf.all.forwarding': '/proc/sys/net/ipv6/conf/all/forwarding',
  'net.bridge.bridge-nf-call-iptables': '/proc/sys/net/bridge/bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables': '/proc/sys/net/bridge/bridge-nf-call-ip6tables',
};

/** The modules whose presence doctor checks, by name. */
export const MODULES = ['br_netfilter'];

export interface HostSettingsRaw {
  /** Value as read, or null when the file does not exist (e.g. bridge-nf-* without br_netfilter). */
  sysctl: Record<string, string | null>;
  /** Whether /sys/module/<name> exists (loaded, or built into the kernel). */
  modules: Record<string, boolean>;
  /**
   * Settings that could not be read, by sysctl or module name, with why (e.g. "reading ... needs
   * root"): absent from sysctl and modules, since an unreadable file says nothing about its value.
   */
  unreadable?: Record<string, string>;
}

/** The roots are parameters so that tests can point them at a tree of their own. */
export function readHostSettings(procRoot: string, sysRoot: string): HostSettingsRaw {
  const sysctl: Record<string, string | null> = {};
  const modules: Record<string, boolean> = {};
  const unreadable: Record<string, string> = {};
  for (const [name, path] of Object.entries(SYSCTLS)) {
    const file = `${procRoot}${path.slice('/proc'.length)}`;
    try {
      sysctl[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      if (isGone(err)) sysctl[name] = null;
      else unreadable[name] = readFailure(err, file).reason;
    }
  }
  for (const name of MODULES) {
    const dir = `${sysRoot}/module/${name}`;
    try {
      statSync(dir);
      modules[name] = true;
    } catch (err) {
      if (isGone(err)) modules[name] = false;
      else unreadable[name] = readFailure(err, dir).reason;
    }
  }
  return { sysctl, modules, ...(Object.keys(unreadable).length ? { unreadable } : {}) };
}
