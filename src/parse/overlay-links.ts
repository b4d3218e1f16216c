// Parses `ip -j -d link show` of an overlay namespace: its VXLAN device (VNI, port, learning), br0 and veth legs.
import type { OverlayLink, VxlanDevice } from '../model/overlay.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';

type Json = Record<string, unknown>;

export interface OverlayLinks {
  links: OverlayLink[];
  vxlans: VxlanDevice[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

export function parseOverlayLinks(text: string): Parsed<OverlayLinks | null> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [issue(0, text, `not valid JSON: ${(err as Error).message}`)] };
  }
  if (!Array.isArray(data)) return { value: null, issues: [issue(0, text, 'expected a JSON array of links')] };
  const issues: ParseIssue[] = [];
  const links: OverlayLink[] = [];
  const vxlans: VxlanDevice[] = [];
  data.forEach((e, i) => {
    if (!isObj(e) || num(e.ifindex) === null || !str(e.ifname)) {
      issues.push(issue(0, jsonPreview(e), `entry ${i}: no ifindex/ifname, skipped`));
      return;
    }
    const info = isObj(e.linkinfo) ? e.linkinfo : {};
    const kind = str(info.info_kind);
    const link: OverlayLink = {
      name: e.ifname as string,
      ifindex: e.ifindex as number,
      kind,
      master: str(e.master),
      mtu: num(e.mtu),
      mac: str(e.address)?.toLowerCase() ?? null,
      peerIfindex: num(e.link_index),
      linkNetnsId: num(e.link_netnsid),
      state: str(e.operstate),
    };
    links.push(link);
    if (kind === 'vxlan') {
      const d = isObj(info.info_data) ? info.info_data : {};
      if (!isObj(info.info_data)) issues.push(issue(0, jsonPreview(e), `${link.name}: a vxlan link without info_data (run ip with -d)`));
      vxlans.push({
        name: link.name,
        ifindex: link.ifindex,
        vni: num(d.id),
        port: num(d.port),
        learning: bool(d.learning),
        proxy: bool(d.proxy),
        l2miss: bool(d.l2miss),
        l3miss: bool(d.l3miss),
        mtu: link.mtu,
        master: link.master,
        mac: link.mac,
      });
    }
  });
  return { value: { links, vxlans }, issues };
}
