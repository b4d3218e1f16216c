// Doctor checks of the engine itself: rootless or Desktop engines, and the default bridge's lack of DNS.
import { naturalCompare } from '../../util/natural-compare.js';
import { finding, type Check } from './inputs.js';

export const rootless: Check = {
  id: 'rootless',
  title: 'rootless Docker / Docker Desktop',
  needs: (i) => (i.engineInfo.known ? null : i.engineInfo.reason),
  run(i) {
    const info = i.engineInfo.known ? i.engineInfo.value : {};
    const secopts = Array.isArray(info.SecurityOptions) ? (info.SecurityOptions as unknown[]).map(String) : [];
    const os = String(info.OperatingSystem ?? '');
    if (secopts.some((s) => s.includes('name=rootless'))) {
      return [
        finding('rootless', {
          kind: 'rootless',
          subject: 'engine',
          severity: 'info',
          title: "The engine runs rootless: containers live in a user namespace behind slirp4netns/RootlessKit, not on the host's network.",
          evidence: [{ source: 'GET /info SecurityOptions', text: secopts.join(', ') }],
          why: "Host commands (ip, iptables) see the host, not the rootless network: veths and NAT rules docknet reads on the host are not the containers'. Container-side facts are still right.",
          fix: 'nsenter -U --preserve-credentials -n -t $(cat $XDG_RUNTIME_DIR/docker.pid) ip addr',
        }),
      ];
    }
    if (/Docker Desktop/i.test(os)) {
      return [
        finding('rootless', {
          kind: 'desktop',
          subject: 'engine',
          severity: 'info',
          title: "The engine is Docker Desktop: containers run in a VM, so this host's interfaces and rules are not theirs.",
          evidence: [{ source: 'GET /info OperatingSystem', text: os }],
          why: "docknet can show what the Engine API says, not the VM's veths or NAT rules.",
          fix: 'docker run --rm --privileged --pid=host alpine nsenter -t 1 -n ip addr',
        }),
      ];
    }
    return [];
  },
};

export const defaultBridgeDns: Check = {
  id: 'default-bridge-dns',
  title: 'name resolution on the default bridge',
  needs: (i) => (i.model.containers.all.length > 0 || i.model.containers.complete.known ? null : i.model.containers.complete.reason),
  partial: (i) => (i.model.containers.complete.known ? null : `container list unknown: ${i.model.containers.complete.reason}`),
  run(i) {
    const on = i.model.containers.all.filter((c) => c.running && c.endpoints.some((e) => e.network === 'bridge'));
    if (on.length < 2) return [];
    // Only the engine's inspect (or network list) says which network an endpoint is on.
    const names = on.map((c) => c.name).sort(naturalCompare);
    return [
      finding('default-bridge-dns', {
        kind: 'default-bridge-dns',
        subject: 'bridge',
        severity: 'info',
        title: `${on.length} containers share the default bridge, where they cannot reach each other by name.`,
        evidence: [{ source: 'docker/containers.json', text: names.join(', ') }],
        why: 'The default bridge has no embedded DNS: `ping tomcat01` fails from tomcat-tml, only IPs work (and those change on restart).',
        fix: 'docker network create app && docker network connect app <container>   # names resolve on user-defined networks',
      }),
    ];
  },
};
