// The one-file HTML report: the picture (inline SVG), veth map, NAT paths, findings and the notebook, with
// a filter box and links from the picture to each container's section. Offline: no request of any kind.
import type { Notebook } from '../correlate/explain-types.js';
import { hostVethNoteText, interfaceNotesText } from './veth-words.js';
import { anomalyText, pathText } from './nat-words.js';
import type { HostGraph } from '../correlate/graph.js';
import type { VethMap } from '../correlate/veth-map.js';
import type { CheckOutcome } from '../model/finding.js';
import type { NatReport } from '../model/port-path.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { naturalCompare } from '../util/natural-compare.js';
import { escapeText } from './escape.js';
import { containerAnchor } from './graph-dot.js';
import { snapshotNotice } from './snapshot-notice.js';

export interface ReportInputs {
  snapshot: Snapshot;
  /** Graphviz's SVG of the graph, drawn with links to the containers' sections. */
  svg: string;
  graph: HostGraph;
  map: VethMap;
  nat: NatReport;
  outcomes: CheckOutcome[];
  notebook: Notebook;
  engineVersion: string | null;
  docknetVersion: string;
}

/** Text made safe inside HTML: control characters shown, markup characters as entities. */
export function html(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return '';
  return escapeText(String(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The SVG Graphviz writes, made an element of the page: no XML prolog or DOCTYPE, no fixed size. */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  const body = start >= 0 ? svg.slice(start) : svg;
  return body.replace(/<svg width="[^"]*" height="[^"]*"/, '<svg role="img" aria-label="the host\'s network, as the kernel wires it"');
}

function cell(v: string | number | null | undefined): string {
  return `<td>${v === null || v === undefined || v === '' ? '<span class="none">-</span>' : html(v)}</td>`;
}

function table(
  id: string,
  head: string[],
  rows: { search: string; container: string | null; cells: (string | number | null)[] }[],
): string {
  if (rows.length === 0) return '<p class="none">Nothing to show.</p>';
  const th = head.map((h) => `<th>${html(h)}</th>`).join('');
  const trs = rows
    .map(
      (r) =>
        `<tr data-filter="${html(r.search.toLowerCase())}"${r.container ? ` data-container="${html(r.container)}"` : ''}>${r.cells.map(cell).join('')}</tr>`,
    )
    .join('\n');
  return `<table id="${id}" class="filterable"><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

function vethSection(map: VethMap): string {
  const rows = map.interfaces.map((r) => ({
    search: [r.container, r.interface, r.hostVeth, r.bridge, r.network, r.ipv4, r.mode].filter(Boolean).join(' '),
    container: r.container,
    cells: [
      r.container,
      r.mode,
      r.interface ? `${r.interface}${r.peerIfindex !== null && r.peerIfindex !== r.ifindex ? `@if${r.peerIfindex}` : ''}` : null,
      r.ifindex,
      r.hostVeth ? `${r.hostVeth} (${r.hostIfindex})` : r.parent ? `parent ${r.parent}` : null,
      r.bridge,
      r.network,
      r.ipv4,
      interfaceNotesText(r.notes),
    ],
  }));
  const veths = map.hostVeths.map((v) => ({
    search: [v.name, v.bridge, v.owner].filter(Boolean).join(' '),
    container: v.owner,
    cells: [
      v.name,
      v.ifindex,
      v.linkNetnsId,
      v.bridge,
      v.owner ? `${v.owner}${v.ownerInterface ? ` ${v.ownerInterface}` : ''}` : `owner ${v.ownerStatus}`,
      v.note ? hostVethNoteText(v.note) : null,
    ],
  }));
  return `${table('veth-map', ['container', 'mode', 'inside', 'ifindex', 'host peer', 'bridge', 'network', 'IPv4', 'note'], rows)}
<h3>Host veths</h3>
${table('host-veths', ['host veth', 'ifindex', 'netnsid', 'bridge', 'owner', 'note'], veths)}`;
}

function natSection(nat: NatReport): string {
  const rows = nat.mappings.flatMap((m) =>
    m.paths.map((p) => ({
      search: [p.address, m.container, m.containerIp, m.bridge, m.hostVeth].filter(Boolean).join(' '),
      container: m.container,
      cells: [p.address, m.container, `${m.containerIp ?? '?'}:${m.containerPort}`, p.via, pathText(p)],
    })),
  );
  const anomalies = nat.anomalies.map((a) => ({
    search: [a.kind, a.container, a.containerIp, anomalyText(a)].filter(Boolean).join(' '),
    container: a.container,
    cells: [a.kind, anomalyText(a)],
  }));
  const status = nat.available ? '' : `<p class="unknown">NAT rules unavailable: ${html(nat.reason)}</p>`;
  return `${status}${table('nat-paths', ['address', 'container', 'to', 'via', 'path'], rows)}${
    anomalies.length ? `<h3>Anomalies</h3>${table('nat-anomalies', ['kind', 'what'], anomalies)}` : ''
  }${nat.notes.length ? `<ul class="notes">${nat.notes.map((n) => `<li>${html(n)}</li>`).join('')}</ul>` : ''}`;
}

function findingsSection(outcomes: CheckOutcome[]): string {
  const findings = outcomes.flatMap((o) => o.findings);
  const order = { error: 0, warning: 1, info: 2 } as const;
  const items = findings
    .slice()
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map(
      (
        f,
      ) => `<li class="finding ${f.severity}" data-filter="${html(`${f.subject} ${f.title}`.toLowerCase())}"><strong>${html(f.severity)}</strong> ${html(f.title)}
<ul>${f.evidence.map((e) => `<li>evidence (${html(e.source)}): <code>${html(e.text)}</code></li>`).join('')}
<li>why: ${html(f.why)}</li><li>${f.unproven ? 'to find out' : 'fix'}: <code>${html(f.fix)}</code></li></ul></li>`,
    )
    .join('\n');
  const partial = outcomes.filter((o) => o.status === 'ran' && o.partial).map((o) => `<li>${html(o.title)}: ${html(o.partial)}</li>`);
  const skipped = outcomes.filter((o) => o.status === 'skipped').map((o) => `<li>${html(o.title)}: ${html(o.reason)}</li>`);
  return `${items ? `<ul class="findings">${items}</ul>` : '<p>No findings.</p>'}${
    partial.length
      ? `<h3>Checks that ran on part of their facts (finding nothing there is not a pass)</h3><ul>${partial.join('')}</ul>`
      : ''
  }${skipped.length ? `<h3>Skipped checks (not passed: they could not run)</h3><ul>${skipped.join('')}</ul>` : ''}`;
}

function containerSections(i: ReportInputs): string {
  const names = [
    ...new Set([
      ...i.map.interfaces.map((r) => r.container),
      ...i.graph.nodes.map((n) => n.container).filter((c): c is string => Boolean(c)),
    ]),
  ].sort(naturalCompare);
  const modes = new Map(
    (i.notebook.sections.find((s) => s.id === 'containers')?.items ?? []).map((x) => [x.container ?? x.subject, x.text]),
  );
  return names
    .map((name) => {
      const rows = i.map.interfaces.filter((r) => r.container === name);
      const ifaces = rows
        .filter((r) => r.interface)
        .map(
          (r) =>
            `<li>${html(r.interface)}${r.ifindex !== null ? ` (ifindex ${r.ifindex})` : ''} ${html(r.ipv4)}${r.hostVeth ? `: host side ${html(r.hostVeth)} on ${html(r.bridge)}` : r.parent ? `: on parent ${html(r.parent)}` : ''}</li>`,
        );
      const ports = i.nat.mappings.filter((m) => m.container === name).flatMap((m) => m.paths.map((p) => `<li>${html(pathText(p))}</li>`));
      return `<article id="${containerAnchor(name)}" class="container" data-filter="${html(name.toLowerCase())}" data-container="${html(name)}">
<h3>${html(name)}</h3>
<p>${html(modes.get(name) ?? 'network mode not in the data')}</p>
${ifaces.length ? `<h4>Interfaces</h4><ul>${ifaces.join('')}</ul>` : ''}
${ports.length ? `<h4>Published ports</h4><ul>${ports.join('')}</ul>` : ''}
${rows.some((r) => r.notes.length) ? `<p class="note">${[...new Set(rows.map((r) => interfaceNotesText(r.notes)).filter(Boolean))].map((n) => html(n)).join('<br>')}</p>` : ''}
</article>`;
    })
    .join('\n');
}

function explainSection(nb: Notebook): string {
  const sections = nb.sections
    .map(
      (s) =>
        `<h3>${html(s.title)}</h3>${s.unknown ? `<p class="unknown">Partial or unknown: ${html(s.unknown)}.</p>` : ''}<ul>${s.items
          .map((x) => `<li data-filter="${html(`${x.subject} ${x.container ?? ''}`.toLowerCase())}">${html(x.text)}</li>`)
          .join('')}</ul>`,
    )
    .join('\n');
  const listings = nb.listings
    .map((l) => {
      const explained = l.lines.filter((x) => x.explanation !== null).length;
      return `<details><summary><code>${html(l.command)}</code> ${l.where === 'the host' ? 'on the host' : html(l.where)} (${html(l.file)}): ${explained} of ${l.lines.length} lines explained</summary>
<table class="listing"><tbody>${l.lines
        .map(
          (x) =>
            `<tr data-filter="${html(x.text.toLowerCase())}"><td class="n">${x.line}</td><td><code>${html(x.text)}</code><br>${x.explanation === null ? `<span class="unknown">not explained: ${html(x.reason)}</span>` : html(x.explanation)}</td></tr>`,
        )
        .join('\n')}</tbody></table></details>`;
    })
    .join('\n');
  const unexplained = nb.unexplained.length
    ? `<h3>Lines docknet cannot explain</h3><ul>${nb.unexplained.map((x) => `<li>${html(x.file)} line ${x.line}: <code>${html(x.text)}</code>: ${html(x.reason)}</li>`).join('')}</ul>`
    : '<p>Every line of the listings has its sentence.</p>';
  return `${sections}\n<h3>Listings, line by line</h3>\n${listings}\n${unexplained}`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{position:sticky;top:0;z-index:2;background:#1f3a5f;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header p{margin:0;opacity:.85}
#filter{margin-left:auto;padding:6px 10px;font-size:14px;min-width:260px;border-radius:4px;border:0}
nav{padding:6px 20px;background:#e8eef6}nav a{margin-right:14px}
main{padding:0 20px 40px}section{margin-top:24px}h2{border-bottom:2px solid #1f3a5f;padding-bottom:4px}
.svg{overflow:auto;border:1px solid #ccd;background:#fff;max-height:85vh}.svg svg{max-width:none;height:auto}
table{border-collapse:collapse;background:#fff;margin:6px 0}th,td{border:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef}code{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap}
.none{color:#999}.unknown{color:#8a5a00}.finding.error>strong{color:#b00020}.finding.warning>strong{color:#b36b00}.finding.info>strong{color:#2b6cb0}
article.container{background:#fff;border:1px solid #dde;border-radius:6px;padding:6px 14px;margin:10px 0}
article.container:target{outline:3px solid #f0a030}.listing td.n{color:#777;text-align:right}
.hidden{display:none!important}svg .dim{opacity:.18}
`;

// Filters rows, items and sections by the text typed; dims the picture's boxes that do not match.
const SCRIPT = `
(function(){
  var box=document.getElementById('filter');
  function apply(){
    var q=box.value.trim().toLowerCase();
    document.querySelectorAll('[data-filter]').forEach(function(el){
      var hit=!q||el.getAttribute('data-filter').indexOf(q)>=0;
      el.classList.toggle('hidden',!hit);
    });
    document.querySelectorAll('#picture g.node').forEach(function(g){
      var hit=!q||g.textContent.toLowerCase().indexOf(q)>=0;
      g.classList.toggle('dim',!hit);
    });
  }
  box.addEventListener('input',apply);
})();
`;

export function renderReportHtml(i: ReportInputs): string {
  const notice = snapshotNotice(i.snapshot);
  const host = i.snapshot.hostname ?? (i.snapshot.source.kind === 'live' ? 'this host' : 'a saved snapshot');
  const when = i.snapshot.takenAt ? `taken ${i.snapshot.takenAt}` : 'time not recorded';
  const grouping = i.graph.grouping ? `<p class="unknown">${html(i.graph.grouping.hint)}.</p>` : '';
  const graphNotes = i.graph.notes.length ? `<ul class="notes">${i.graph.notes.map((n) => `<li>${html(n)}</li>`).join('')}</ul>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>docknet report: ${html(host)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>docknet report: ${html(host)}</h1>
<p>${html(when)}; Docker ${html(i.engineVersion ?? 'version not in the data')}; docknet ${html(i.docknetVersion)}</p>
<input id="filter" type="search" placeholder="Filter: container, veth, port, address" aria-label="Filter rows by container, veth, port or address">
</header>
<nav><a href="#picture">Picture</a><a href="#veths">Veth map</a><a href="#nat">NAT paths</a><a href="#findings">Findings</a><a href="#containers">Containers</a><a href="#explain">Explanations</a></nav>
<main>
${notice ? `<p class="unknown">${html(notice)}</p>` : ''}
<section id="picture"><h2>Picture</h2>${grouping}<p>Dashed: what the data does not hold, or an inference. Click a container to go to its section.</p>
<div class="svg">${inlineSvg(i.svg)}</div>${graphNotes}</section>
<section id="veths"><h2>Veth map</h2>${vethSection(i.map)}</section>
<section id="nat"><h2>NAT paths</h2>${natSection(i.nat)}</section>
<section id="findings"><h2>Findings</h2>${findingsSection(i.outcomes)}</section>
<section id="containers"><h2>Containers</h2>${containerSections(i)}</section>
<section id="explain"><h2>Explanations</h2>${explainSection(i.notebook)}</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
