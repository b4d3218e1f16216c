// Reads the host's kernel settings docknet doctor looks at: sysctls and loaded modules, as files.
import { localFs, type HostFs } from './host-fs.js';
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
export function readHostSettings(procRoot: string, sysRoot: string, fs: HostFs = localFs): HostSettingsRaw {
  const sysctl: Record<string, string | null> = {};
  const modules: Record<string, boolean> = {};
  const unreadable: Record<string, string> = {};
  for (const [name, path] of Object.entries(SYSCTLS)) {
    const file = `${procRoot}${path.slice('/proc'.length)}`;
    try {
      sysctl[name] = fs.readText(file).trim();
    } catch (err) {
      if (isGone(err)) sysctl[name] = null;
      else unreadable[name] = readFailure(err, file).reason;
    }
  }
  readPerInterface(fs, procRoot, 'route_localnet', sysctl, unreadable);
  for (const name of MODULES) {
    const dir = `${sysRoot}/module/${name}`;
    try {
      fs.stat(dir);
      modules[name] = true;
    } catch (err) {
      if (isGone(err)) modules[name] = false;
      else unreadable[name] = readFailure(err, dir).reason;
    }
  }
  return { sysctl, modules, ...(Object.keys(unreadable).length ? { unreadable } : {}) };
}

/**
 * `net.ipv4.conf.<all|default|interface>.<key>` for every interface: route_localnet decides whether a
 * packet to 127.0.0.0/8 arriving on an interface is routed (Docker sets it for its loopback DNAT) or
 * dropped as a martian.
 */
function readPerInterface(
  fs: HostFs,
  procRoot: string,
  key: string,
  sysctl: Record<string, string | null>,
  unreadable: Record<string, string>,
): void {
  const dir = `${procRoot}/sys/net/ipv4/conf`;
  let names: string[];
  try {
    names = fs.readdir(dir);
  } catch (err) {
    // No such directory (no IPv4, or a test's root without it): the settings stay unknown by their absence.
    if (!isGone(err)) unreadable[`net.ipv4.conf.all.${key}`] = readFailure(err, dir).reason;
    return;
  }
  for (const iface of names) {
    const name = `net.ipv4.conf.${iface}.${key}`;
    const file = `${dir}/${iface}/${key}`;
    try {
      sysctl[name] = fs.readText(file).trim();
    } catch (err) {
      // An interface removed while it was read has no setting any more.
      if (!isGone(err)) unreadable[name] = readFailure(err, file).reason;
    }
  }
}
