// The report's HTML without a browser: it is one file with no remote reference, markup in names stays
// text, and report without --html is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { html, inlineSvg } from '../../src/render/report-html.js';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

test('html(): markup and control characters in names are inert', () => {
  assert.equal(html('<script>alert("x")</script>\u001b'), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\x1b');
  assert.equal(html(null), '');
});

test('inlineSvg: Graphviz SVG loses its prolog and fixed size, keeps its content', () => {
  const svg = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="10pt" height="20pt" viewBox="0 0 10 20"><g/></svg>';
  assert.equal(inlineSvg(svg), '<svg role="img" aria-label="the host\'s network, as the kernel wires it" viewBox="0 0 10 20"><g/></svg>');
});

test('report --html: one self-contained file; without --html a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-report-'));
  try {
    const r = await runCli(['report', '--html', 'seed.html', '--from', repoPath('examples/seed-host')], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Wrote seed\.html \(\d+ KiB, self-contained/);
    const page = readFileSync(join(dir, 'seed.html'), 'utf8');
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//);
    assert.doesNotMatch(page, /<\?xml|<!DOCTYPE svg/);
    for (const id of ['picture', 'veths', 'nat', 'findings', 'containers', 'explain'])
      assert.match(page, new RegExp(`<section id="${id}">`));
    assert.match(page, /<article id="container-tomcat01" /);
    assert.match(page, /xlink:href="#container-tomcat01"/);
    assert.match(page, /IPv4 forwarding is off/);
    assert.match(page, /23 of 23 lines explained/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bad = await runCli(['report', '--from', repoPath('examples/seed-host')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /report needs --html FILE/);
});
