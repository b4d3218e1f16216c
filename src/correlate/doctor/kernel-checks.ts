// Doctor checks of the kernel's settings: IP forwarding, bridge netfilter, iptables backends.
import type { Finding } from '../../model/finding.js';
import { lookupIn } from '../../model/fact.js';
import { settingUnknown } from '../../model/host-settings.js';
import type { BackendRule } from '../../model/iptables-backends.js';
import { finding, SYSCTL_SOURCE, type Check, type DoctorInputs } from './inputs.js';

const FORWARDING_WARNING = /IPv4 forwarding is disabled/i;

function settingsNeeded(i: DoctorInputs): string | null {
  return i.settings.known ? null : i.settings.reason;
}

export const forwarding: Check = {
  id: 'forwarding',
  title: 'IP forwarding',
  needs: (i) =>
    i.warnings.some((w) => FORWARDING_WARNING.test(w.text))
      ? null
      : (settingsNeeded(i) ?? (i.settings.known ? settingUnknown(i.settings.value, 'sysctl', 'net.ipv4.ip_forward') : null)),
  run(i) {
    const out: Finding[] = [];
    const sysctl = i.settings.known ? i.settings.value.sysctl : null;
    const v4 = sysctl?.['net.ipv4.ip_forward'];
    const warned = i.warnings.filter((w) => FORWARDING_WARNING.test(w.text));
    if (v4 === '0' || (v4 === undefined && warned.length)) {
      const evidence = v4 === '0' ? [{ source: SYSCTL_SOURCE('net.ipv4.ip_forward'), text: 'net.ipv4.ip_forward = 0' }, ...warned] : warned;
      out.push(
        finding('forwarding', {
          kind: 'ipv4-forwarding-off',
          subject: 'net.ipv4.ip_forward',
          severity: 'error',
          title: `IPv4 forwarding is off${v4 === '0' ? '' : ' (the engine said so; the sysctl itself is not in the data)'}: containers cannot reach outside the host, and published ports are unreachable from other machines.`,
          evidence,
          why: 'Packets between a bridge and the uplink are routed by the host; with forwarding off the kernel drops them (Docker warns "IPv4 forwarding is disabled. Networking will not work.").',
          fix: 'sysctl -w net.ipv4.ip_forward=1 (and set it in /etc/sysctl.d/ to persist)',
        }),
      );
    }
    const ipv6Nets = lookupIn(i.model.networks).filter(
      (n) => n.options['com.docker.network.enable_ipv6'] === 'true' || n.subnets.some((s) => s.subnet.includes(':')),
    );
    if (ipv6Nets.length && sysctl?.['net.ipv6.conf.all.forwarding'] === '0') {
      out.push(
        finding('forwarding', {
          kind: 'ipv6-forwarding-off',
          subject: 'net.ipv6.conf.all.forwarding',
          severity: 'error',
          title: `IPv6 forwarding is off while ${ipv6Nets.length} Docker network(s) have IPv6.`,
          evidence: [
            { source: SYSCTL_SOURCE('net.ipv6.conf.all.forwarding'), text: 'net.ipv6.conf.all.forwarding = 0' },
            {
              source: 'docker/networks.json',
              text: ipv6Nets.map((n) => `${n.name}: ${n.subnets.map((s) => s.subnet).join(', ')}`).join('; '),
            },
          ],
          why: 'IPv6 traffic from those networks is not routed off the host.',
          fix: 'sysctl -w net.ipv6.conf.all.forwarding=1',
        }),
      );
    }
    return out;
  },
};

export const brNetfilter: Check = {
  id: 'br-netfilter',
  title: 'bridge netfilter',
  needs: (i) => {
    if (!i.settings.known) return i.settings.reason;
    if (!i.model.networks.known) return `Docker networks unknown: ${i.model.networks.reason}`;
    const s = i.settings.value;
    return (
      settingUnknown(s, 'module', 'br_netfilter') ??
      (s.modules.br_netfilter || s.sysctl['net.bridge.bridge-nf-call-iptables'] != null
        ? settingUnknown(s, 'sysctl', 'net.bridge.bridge-nf-call-iptables')
        : null)
    );
  },
  run(i) {
    if (!i.settings.known) return [];
    const settings = i.settings.value;
    const bridges = lookupIn(i.model.networks).filter((n) => n.driver === 'bridge');
    if (!bridges.length) return [];
    // The bridge-nf-call sysctls exist only while br_netfilter is in the kernel: built in (=y), it has no /sys/module entry.
    const builtIn =
      settings.sysctl['net.bridge.bridge-nf-call-iptables'] !== undefined && settings.sysctl['net.bridge.bridge-nf-call-iptables'] !== null;
    if (!settings.modules.br_netfilter && !builtIn) {
      return [
        finding('br-netfilter', {
          kind: 'br-netfilter-absent',
          subject: 'br_netfilter',
          severity: 'warning',
          title: 'The br_netfilter module is not loaded: iptables rules do not see traffic between containers on the same bridge.',
          evidence: [{ source: '/sys/module/br_netfilter', text: 'absent' }],
          why: 'Docker relies on it for inter-container isolation (icc=false) and for rules on bridged traffic; without it such rules silently do nothing.',
          fix: 'modprobe br_netfilter',
        }),
      ];
    }
    if (settings.sysctl['net.bridge.bridge-nf-call-iptables'] === '0') {
      return [
        finding('br-netfilter', {
          kind: 'bridge-nf-call-off',
          subject: 'net.bridge.bridge-nf-call-iptables',
          severity: 'warning',
          title: 'net.bridge.bridge-nf-call-iptables is 0: bridged traffic bypasses iptables.',
          evidence: [{ source: SYSCTL_SOURCE('net.bridge.bridge-nf-call-iptables'), text: 'net.bridge.bridge-nf-call-iptables = 0' }],
          why: 'Rules Docker writes for traffic between containers on one bridge (icc=false, published-port hairpin) are skipped.',
          fix: 'sysctl -w net.bridge.bridge-nf-call-iptables=1',
        }),
      ];
    }
    return [];
  },
};

/** A chain Docker writes: DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1, ... */
function isDockerChain(chain: string): boolean {
  return chain === 'DOCKER' || chain.startsWith('DOCKER-');
}

export const backends: Check = {
  id: 'iptables-backends',
  title: 'iptables backends',
  needs: (i) => (i.backends || i.nat ? null : 'neither iptables backend could be read (needs root and iptables)'),
  run(i) {
    const out: Finding[] = [];
    if (i.nat?.backend === 'nftables') {
      out.push(
        finding('iptables-backends', {
          kind: 'nftables-backend',
          subject: 'docker-bridges',
          severity: 'info',
          title:
            "Docker's firewall backend is nftables: its rules live in nftables tables (docker-bridges), and iptables listings show none of them, by design.",
          evidence: [{ source: 'nft ruleset', text: 'tables ip/ip6 docker-bridges' }],
          why: 'Tools and people reading `iptables -t nat -L` will find no Docker rules.',
          fix: 'nft list table ip docker-bridges',
        }),
      );
    }
    if (!i.backends) return out;
    const legacy = i.backends.legacy ?? [];
    const nft = i.backends.nft ?? [];
    const lines = (rules: BackendRule[]) => rules.map((r) => r.line);
    const dockerIn = (rules: BackendRule[]) => rules.some((r) => isDockerChain(r.chain));
    const [withDocker, other, otherName, dockerName] = dockerIn(nft)
      ? [nft, legacy, 'legacy', 'nf_tables']
      : [legacy, nft, 'nf_tables', 'legacy'];
    if (dockerIn(withDocker) && other.length > 0) {
      const tool = `iptables-${otherName === 'legacy' ? 'legacy' : 'nft'}-save`;
      out.push(
        finding('iptables-backends', {
          kind: 'two-backends',
          subject: otherName,
          severity: 'warning',
          title: `Docker's rules are in the ${dockerName} backend, while the ${otherName} backend also holds ${other.length} rule(s).`,
          evidence: [{ source: tool, text: lines(other.slice(0, 3)).join('\n') }],
          why: "Both backends filter packets, but each tool shows only its own: a firewall (or a person) using the other backend does not see Docker's rules, and rules there can drop container traffic unseen.",
          fix: `${tool}   # then move those rules to one backend (update-alternatives --config iptables)`,
        }),
      );
    }
    return out;
  },
};
