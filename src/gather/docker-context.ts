// Docker contexts as the docker CLI stores them: $DOCKER_CONFIG (else ~/.docker)/contexts/meta/
// <sha256 of the name>/meta.json, whose Endpoints.docker.Host is the engine's URL.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../model/errors.js';

export function contextMetaPath(name: string, env: NodeJS.ProcessEnv): string {
  const config = env.DOCKER_CONFIG || join(env.HOME ?? homedir(), '.docker');
  return join(config, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json');
}

/** The engine URL of context `name`; a UsageError naming it when there is no such context or it has no docker endpoint. */
export function contextHost(name: string, env: NodeJS.ProcessEnv): string {
  // "default" is the docker CLI's built-in context: DOCKER_HOST, else the local socket.
  if (name === 'default') return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  const file = contextMetaPath(name, env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--context '${name}': no such Docker context (no ${file}; see \`docker context ls\`)`);
  }
  let meta: { Name?: unknown; Endpoints?: { docker?: { Host?: unknown } } };
  try {
    meta = JSON.parse(text) as typeof meta;
  } catch {
    throw new UsageError(`--context '${name}': ${file} is not JSON`);
  }
  const host = meta.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || !host) throw new UsageError(`--context '${name}': ${file} names no Endpoints.docker.Host`);
  return host;
}
