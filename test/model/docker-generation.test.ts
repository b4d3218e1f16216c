// Docker releases and the features each generation brought, as the engines' own version strings give them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER_CHAINS, hasFeature, isDockerChain, parseDockerRelease } from '../../src/model/docker-generation.js';

test('engine version strings as the three lab engines and upstream write them', () => {
  assert.deepEqual(parseDockerRelease('20.10.24+dfsg1'), { major: 20, minor: 10, patch: 24, text: '20.10.24+dfsg1' });
  assert.deepEqual(parseDockerRelease('28.5.2+dfsg4')?.major, 28);
  assert.deepEqual(parseDockerRelease('v27.0.1')?.minor, 0);
  assert.equal(parseDockerRelease('27.1')?.patch, 0);
  assert.equal(parseDockerRelease('dev'), null);
  assert.equal(parseDockerRelease(''), null);
});

test('features by release: gateway modes from 27.0.0, direct-access drops from 28.0.0, DOCKER-FORWARD from 28.0.1', () => {
  const r = (v: string) => parseDockerRelease(v);
  assert.equal(hasFeature(r('26.1.5+dfsg1'), 'gatewayModes'), false);
  assert.equal(hasFeature(r('27.0.0'), 'gatewayModes'), true);
  assert.equal(hasFeature(r('27.5.1'), 'natUnprotected'), false);
  assert.equal(hasFeature(r('28.0.0'), 'directAccessDrops'), true);
  assert.equal(hasFeature(r('28.0.0'), 'forwardChains'), false);
  assert.equal(hasFeature(r('28.0.1'), 'forwardChains'), true);
  assert.equal(hasFeature(r('20.10.24'), 'directAccessDrops'), false);
  assert.equal(hasFeature(null, 'gatewayModes'), null, 'an unknown engine: unknown, not false');
});

test("Docker's chains of every generation are Docker's; FORWARD and another tool's are not", () => {
  for (const c of ['DOCKER', 'DOCKER-USER', 'DOCKER-FORWARD', 'DOCKER-BRIDGE', 'DOCKER-CT', 'DOCKER-INTERNAL', 'DOCKER-ISOLATION-STAGE-1'])
    assert.ok(isDockerChain(c), c);
  for (const c of ['FORWARD', 'KUBE-FORWARD', 'ts-forward', 'docker', 'constructor']) assert.ok(!isDockerChain(c), c);
  assert.equal(DOCKER_CHAINS['DOCKER-FORWARD']?.since, '28.0.1');
});
