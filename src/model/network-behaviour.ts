// What a bridge network does beyond plain NAT, as structure: each address family's gateway mode with
// what decided it, --internal, enable_icc, and the filter rules that do them (correlate/network-modes.ts
// fills it; render/network-words.ts words it).
import type { DockerFeature, DockerRelease, GatewayMode } from './docker-generation.js';
import type { RuleRef } from './port-path.js';

export type ModeBasis =
  /** No option: Docker's default, nat. */
  | 'default'
  /** The option, which this engine honours. */
  | 'option'
  /** The option, which this engine predates and ignores: nat. */
  | 'ignored'
  /** The option, taken as set: the engine's version is not in the data. */
  | 'option-unverified'
  /** The option's value is no mode Docker has. */
  | 'invalid';

export interface FamilyGateway {
  family: 'ipv4' | 'ipv6';
  /** The option's name, `com.docker.network.bridge.gateway_mode_ipv4` (or `_ipv6`). */
  optionName: string;
  /** The option's value as set (`routed`); null when the network sets none. */
  option: string | null;
  /** The mode applied; null when the option's value is no mode docknet knows. */
  mode: GatewayMode | null;
  basis: ModeBasis;
  /** `ignored` and `option-unverified`: the engine feature the option's mode needs; else null. */
  feature: DockerFeature | null;
  /** `ignored`: the engine's release, which predates the feature; else null. */
  release: DockerRelease | null;
}

/** What a filter rule of a network's behaviour does. */
export type BehaviourRuleKind =
  /** --internal: traffic between the network and anywhere else dropped. */
  | 'internal'
  /** enable_icc=false: traffic between containers on the bridge dropped. */
  | 'icc'
  /** nat-unprotected: every port of the containers open to clients beyond the bridge. */
  | 'nat-unprotected'
  /** routed: what no rule above opens is dropped. */
  | 'routed';

export interface NetworkBehaviour {
  network: string;
  networkId: string;
  bridge: string | null;
  internal: boolean;
  /** Containers on the bridge may talk to each other (enable_icc, true unless set to false). */
  icc: boolean;
  ipv4: FamilyGateway;
  ipv6: FamilyGateway;
  /** The filter rules that make it so: internal isolation, icc drop, nat-unprotected's open door, routed's closed one. */
  rules: { kind: BehaviourRuleKind; rule: RuleRef }[];
  /** Whether the filter table was in the data, so that a missing rule may be said to be missing. */
  rulesKnown: boolean;
}
