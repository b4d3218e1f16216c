import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gate, kernelConfig, underCi } from './capability.js';

test('a missing capability fails the test under CI and skips it, saying why, elsewhere', () => {
  assert.deepEqual(gate('tar', null, { CI: 'true' }), { action: 'run' });
  assert.deepEqual(gate('tar', 'tar is not installed', { CI: 'true' }), {
    action: 'fail',
    message: 'tar is required under CI and missing: tar is not installed',
  });
  assert.deepEqual(gate('tar', 'tar is not installed', {}), {
    action: 'skip',
    message: 'SKIPPED, tar missing: tar is not installed (under CI=true this fails)',
  });
});

test('CI is on for any value but empty, 0 or false', () => {
  for (const v of ['true', '1', 'yes', 'TRUE']) assert.equal(underCi({ CI: v }), true, v);
  for (const v of [undefined, '', '0', 'false', 'False']) assert.equal(underCi({ CI: v }), false, String(v));
});

test("the kernel's own config says whether a feature can exist here", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-kconfig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.gz');
  writeFileSync(config, gzipSync('CONFIG_NETFILTER=y\n# CONFIG_IP_VS is not set\nCONFIG_VETH=m\n'));
  assert.equal(kernelConfig('CONFIG_IP_VS', config), 'not set');
  assert.equal(kernelConfig('CONFIG_NETFILTER', config), 'y');
  assert.equal(kernelConfig('CONFIG_VETH', config), 'm');
  assert.equal(kernelConfig('CONFIG_MACVLAN', config), 'not set');
  assert.equal(kernelConfig('CONFIG_IP_VS', join(dir, 'none.gz')), null);
});
