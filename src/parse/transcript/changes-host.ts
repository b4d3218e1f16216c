// Commands after which earlier listings may no longer be true: docker run/rm, ip link set, iptables -A, ...
import { dockerArgs } from './docker-args.js';
import { basename, commandWords, shellWords } from './shell-words.js';

export function changesHost(command: string): boolean {
  const w = commandWords(shellWords(command).words);
  const tool = basename(w[0] ?? '');
  const a = w.slice(1);
  if (tool === 'docker') {
    const d = dockerArgs(a);
    if (!d) return false;
    return /^(?:run|create|start|stop|restart|kill|rm|pause|unpause|network (?:create|rm|connect|disconnect|prune)|system prune|compose (?:up|down|start|stop|restart|rm)|service (?:create|update|rm)|stack (?:deploy|rm))$/.test(
      d.sub,
    );
  }
  if (tool === 'docker-compose') return /^(?:up|down|start|stop|restart|rm)$/.test(a[0] ?? '');
  if (tool === 'ip') {
    const verbs = a.filter((x) => !x.startsWith('-'));
    return (
      /^(?:l|li|lin|link|a|ad|addr|address|r|ro|route|netns)$/.test(verbs[0] ?? '') &&
      /^(?:add|del|delete|set|flush|replace|change)$/.test(verbs[1] ?? '')
    );
  }
  if (/^ip6?tables(?:-legacy|-nft)?$/.test(tool))
    return a.some(
      (x) =>
        /^-(?:[AIDRFXNPZE]|-(?:append|insert|delete|replace|flush|delete-chain|new-chain|policy|zero|rename-chain))$/.test(x) ||
        /^-[a-z]*[AIDRFXNPZE]/.test(x),
    );
  if (/^ip6?tables(?:-legacy|-nft)?-restore$/.test(tool)) return true;
  if (tool === 'nft') return a.some((x) => /^(?:add|delete|flush|insert|replace|create|destroy|-f)$/.test(x));
  if (tool === 'brctl') return /^(?:addbr|delbr|addif|delif)$/.test(a[0] ?? '');
  if (tool === 'systemctl' || tool === 'service') return a.some((x) => /^(?:start|stop|restart|reload)$/.test(x));
  return false;
}
