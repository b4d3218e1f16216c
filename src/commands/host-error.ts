// Why one host of several could not be read, as a DocknetError: its own error, or the engine's in the
// words cli/main.ts gives a single host's. Anything else (a usage error, a bug) is not a host's.
import { EngineError, engineAnswerHint } from '../gather/engine-api.js';
import { DocknetError } from '../model/errors.js';

export function hostError(err: unknown): DocknetError | null {
  if (err instanceof DocknetError) return err;
  if (!(err instanceof EngineError)) return null;
  const hint =
    err.kind === 'permission'
      ? 'Next: run with sudo, or add this user to the docker group (on that host).'
      : err.kind === 'unreachable'
        ? 'Next: check that the engine runs there and that this URL names its socket.'
        : engineAnswerHint(err);
  return new DocknetError(err.message, hint);
}
