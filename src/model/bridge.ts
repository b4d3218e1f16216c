// Bridge membership as `brctl show` reports it.

export interface BridgeInfo {
  name: string;
  bridgeId: string | null;
  stp: boolean | null;
  interfaces: string[];
}
