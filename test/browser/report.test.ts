// The HTML report in a real browser (headless Chromium): it asks for nothing over the network, the
// picture is visible and holds the host's boxes, and typing a container name in the filter hides the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireCapability } from '../capability.js';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';
import { chromiumMissing, openPage } from './chromium.js';

/** Where the screenshots go: DOCKNET_SCREENSHOTS, else a temporary directory. */
const SHOTS = process.env.DOCKNET_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'docknet-shots-'));

const CASES = [
  { name: 'seed', from: 'examples/seed-host', container: 'tomcat01', other: 'tomcat-tml' },
  { name: 'lab', from: 'test/fixtures/lab-snapshot', container: 'lab-web', other: 'tomcat01' },
];

for (const c of CASES) {
  test(`report of the ${c.name} host in Chromium: offline, picture visible, the filter hides other containers' rows`, async (t) => {
    if (!(await requireCapability(t, 'headless Chromium', chromiumMissing))) return;
    const dir = mkdtempSync(join(tmpdir(), 'docknet-report-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = await runCli(['report', '--html', 'report.html', '--from', repoPath(c.from)], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const file = join(dir, 'report.html');
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /\b(src|href)="(https?:)?\/\//, 'no remote resource is referenced');
    const url = pathToFileURL(file).href;
    const opened = await openPage(url);
    t.after(() => opened.close());
    const { page } = opened;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `report-${c.name}.png`) });

    const svg = page.locator('#picture svg');
    assert.ok(await svg.isVisible(), 'the picture is visible');
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 100, `the picture has a size: ${JSON.stringify(box)}`);
    const nodes = await page.locator('#picture svg g.node').count();
    assert.ok(nodes >= 10, `the picture holds the host's boxes (${nodes})`);
    const texts = await page.locator('#picture svg g.node text').allTextContents();
    assert.ok(
      texts.some((x) => x.includes('docker0')),
      'docker0 is drawn',
    );

    // A container in the picture links to its section.
    const link = page.locator(`#picture svg a[*|href="#container-${c.container}"]`).first();
    assert.ok((await link.count()) > 0, `the picture links ${c.container} to its section`);
    await link.click();
    assert.equal(new URL(page.url()).hash, `#container-${c.container}`);
    assert.ok(await page.locator(`#container-${c.container}`).isVisible());

    const rows = page.locator('#veth-map tbody tr');
    const before = await rows.count();
    await page.fill('#filter', c.container);
    const visible = page.locator('#veth-map tbody tr:not(.hidden)');
    const shown = await visible.allTextContents();
    assert.ok(shown.length > 0, 'the named container stays');
    assert.ok(shown.length < before, 'other rows are hidden');
    for (const row of shown) assert.ok(row.includes(c.container), `only ${c.container}'s rows: ${row}`);
    assert.ok(!(await page.locator(`#veth-map tbody tr[data-container="${c.other}"]`).first().isVisible()), `${c.other} is hidden`);
    assert.ok(await page.locator(`#container-${c.other}`).isHidden(), `${c.other}'s section is hidden`);
    await page.screenshot({ path: join(SHOTS, `report-${c.name}-filtered.png`), fullPage: false });
    await page.fill('#filter', '');
    assert.equal(await page.locator('#veth-map tbody tr:not(.hidden)').count(), before);

    assert.deepEqual(
      opened.requests.filter((u) => u !== url && !u.startsWith(`${url}#`)),
      [],
      'the page requested nothing but itself',
    );
  });
}
