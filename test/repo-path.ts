// Paths of repository files for tests, which run from dist/test/.
import { fileURLToPath } from 'node:url';

export function repoPath(rel: string): string {
  return fileURLToPath(new URL(`../../${rel}`, import.meta.url));
}
