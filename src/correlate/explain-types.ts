// What `docknet explain` returns: sections of sentences about the host, and its listings line by line.

export interface ExplainedLine {
  file: string;
  /** 1-based line in the file. */
  line: number;
  text: string;
  /** One sentence (or two) saying what the line means on this host; null when docknet cannot explain it. */
  explanation: string | null;
  /** Why not, when explanation is null. */
  reason?: string;
}

export interface Listing {
  file: string;
  /** The command that printed it, e.g. `ip addr`, `iptables -t nat -vnL`, `iptables-save`. */
  command: string;
  /** Where it was taken: the host, or inside a container. */
  where: string;
  lines: ExplainedLine[];
}

export interface NoteItem {
  /** What the sentence is about: an interface, a network, a container, a veth, a rule. */
  subject: string;
  text: string;
  /** The container it is about, for the report's links. */
  container?: string;
}

export interface NoteSection {
  id: string;
  title: string;
  /** Why the section is empty or partial, when it is. */
  unknown?: string;
  items: NoteItem[];
}

export interface Notebook {
  /** The Docker engine version when the data holds it. */
  engineVersion: string | null;
  /** nf_tables, legacy, nftables, or null when the data does not say. */
  firewallBackend: string | null;
  sections: NoteSection[];
  listings: Listing[];
  /** Every line no sentence explains, from every listing. */
  unexplained: ExplainedLine[];
}
