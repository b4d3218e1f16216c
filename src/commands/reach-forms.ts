// The forms reach's arguments take, in words: for its help text (cli/, loaded at start-up) and its usage errors.
export const SOURCE_FORMS = 'outside, outside:IP, host, a container name or id, or an IP address';
export const DESTINATION_FORMS =
  'host:PORT, IP:PORT, [IPv6]:PORT or CONTAINER:PORT, each with an optional /tcp or /udp (tcp when not given)';
