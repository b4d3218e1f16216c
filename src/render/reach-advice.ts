// Reach's advice in words: a suggestion, then the command that would carry it out where there is one
// (never run by docknet).
import type { Advice } from '../correlate/reach/advice.js';
import { shellLine } from '../util/shell-quote.js';
import { endpoint, packetText, ruleName } from './reach-words.js';

function socketText(s: { ip: string; port: number; protocol: string }): string {
  return `${endpoint(s.ip, s.port)}/${s.protocol}`;
}

function dockerUserLines(command: string[] | null): string[] {
  return command ? ["  or make an exception before Docker's rules, in DOCKER-USER:", `    ${shellLine(command)}`] : [];
}

type DockerAdvice = Extract<
  Advice,
  { code: 'docker-direct-access' | 'docker-isolation' | 'docker-unpublished' | 'docker-icc' | 'docker-rule' }
>;

/** Where Docker's own rules decide: what Docker offers instead (never an edit of its chains). */
function dockerAdviceLines(a: DockerAdvice): string[] {
  switch (a.code) {
    case 'docker-direct-access': {
      const mode = 'com.docker.network.bridge.gateway_mode_ipv4=nat-unprotected (or routed)';
      const network =
        a.network === null
          ? ''
          : a.network === 'bridge'
            ? `, or run ${a.container ?? 'it'} on a network of your own created with -o ${mode}`
            : `, or create ${a.network} with -o ${mode} to allow direct access`;
      const join = a.from
        ? ` Or connect ${a.from} to ${a.network ?? "the container's network"}: docker network connect ${a.network ?? '<network>'} ${a.from}.`
        : '';
      return [
        `Docker (28+) drops packets to a container address from beyond its bridge (${ruleName(a.rule)}). Publish the port (docker run -p HOSTPORT:PORT) and connect to the host's address${network}.${join}`,
      ];
    }
    case 'docker-isolation':
      return [
        a.internal
          ? `${a.network ?? 'The network'} is --internal: Docker isolates it from everything beyond it (${ruleName(a.rule)}). ${
              a.from
                ? `Containers on it reach each other: docker network connect ${a.network ?? '<network>'} ${a.from}.`
                : `Connect ${a.container ?? 'the container'} to a network that is not internal as well, and publish the port there.`
            }`
          : `Docker isolates its networks from each other (${ruleName(a.rule)}). Put both containers on one network: docker network connect ${a.network ?? '<network>'} ${a.from ?? '<source container>'}.`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'docker-unpublished':
      return [
        `Docker drops what no publication opened (${ruleName(a.rule)}): publish ${a.port}/${a.protocol}${a.container ? ` of ${a.container}` : ''} (docker run -p HOSTPORT:${a.port}/${a.protocol}).`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'docker-icc':
      return [
        `${a.network} was created with enable_icc=false: Docker drops traffic between its containers (${ruleName(a.rule)}). Put the two on another network together, or recreate ${a.network} without -o com.docker.network.bridge.enable_icc=false.`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'docker-rule':
      return [
        `Docker's own rule decides (${ruleName(a.rule)}); Docker rewrites its chains, so do not edit them.`,
        ...dockerUserLines(a.dockerUser),
      ];
  }
}

/** A suggestion in words, then the command that would carry it out where there is one (never run by docknet). */
export function adviceLines(a: Advice): string[] {
  switch (a.code) {
    case 'listens-on-loopback':
      return [
        `${a.container} listens on ${socketText(a.socket)} only: inside a container, 127.0.0.1 is the container's own. Make the service listen on 0.0.0.0 (all addresses) in ${a.container}.`,
      ];
    case 'nothing-listens': {
      const where = a.container ?? 'this host';
      const same = a.listening.filter((s) => s.protocol === a.protocol);
      const ports = same.length ? ` It listens on: ${same.map(socketText).join(', ')}.` : '';
      return [
        `Nothing in ${where} listens on port ${a.port}/${a.protocol}: start the service there, or connect to a port it listens on.${ports}`,
      ];
    }
    case 'published-elsewhere':
      return [
        `Port ${a.port}/${a.protocol} of ${a.container} is published on ${a.hostIps.join(', ')} only: connect there, or publish it on this address too (docker run -p <address>:${a.port}:<container port>).`,
      ];
    case 'docker-direct-access':
    case 'docker-isolation':
    case 'docker-unpublished':
    case 'docker-icc':
    case 'docker-rule':
      return dockerAdviceLines(a);
    case 'allow-before': {
      const flow = `${packetText(a.packet)}${a.reply ? ' (the reply)' : ''}`;
      const lines = [`A rule before ${ruleName(a.rule)} that accepts ${flow} would let it through, if that is intended:`];
      if (a.command) lines.push(`  ${shellLine(a.command)}`);
      else
        lines.push(
          '  (an nftables rule: insert it before that rule with nft insert rule ... position <its handle>; nft -a list ruleset shows the handles)',
        );
      if (a.ufw) lines.push(`  or, as ufw manages its own chains: ${shellLine(a.ufw)}`);
      return lines;
    }
    case 'enable-forwarding':
      return [`The host does not forward packets: sysctl -w ${a.sysctl}=1 (Docker sets it when it starts; something turned it off).`];
    case 'loopback-from-outside':
      return [
        `A loopback address from ${a.iface} is dropped${a.rule ? ` (${ruleName(a.rule)}, Docker's)` : ' by routing'}: a port published on 127.0.0.1 serves this host only. Publish it on the host's address to serve the network (docker run -p <host address>:PORT:PORT).`,
      ];
    case 'no-gateway':
      return [
        `${a.container} has no route beyond ${a.network ?? 'its networks'} (an --internal network has no gateway): connect it to a network that is not internal to reach beyond.`,
      ];
  }
}
