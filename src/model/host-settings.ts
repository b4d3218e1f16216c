// The kernel settings doctor reads (host/settings.json): sysctl values and module presence.

export interface HostSettings {
  /** Value as read; null when the file does not exist on the host (e.g. bridge-nf-* without br_netfilter). A sysctl absent here is unknown. */
  sysctl: Record<string, string | null>;
  /** Whether /sys/module/<name> exists. A module absent here is unknown, not "not loaded". */
  modules: Record<string, boolean>;
  /** Settings the host had but that could not be read, by name, with why (e.g. "... needs root"). */
  unreadable: Record<string, string>;
}

/** Why one setting of known settings is unknown (unreadable on the host, or not in the file), or null when known. */
export function settingUnknown(s: HostSettings, kind: 'sysctl' | 'module', name: string): string | null {
  if (kind === 'sysctl' ? name in s.sysctl : name in s.modules) return null;
  return `${name} is unknown: ${s.unreadable[name] ?? 'not in host/settings.json'}`;
}
