/**
 * Proposed changes waiting for Accept, each keyed by the URI of the (virtual) document that shows it, so a click
 * in one diff tab accepts that tab's change and never another's. SDK-free: the VS Code layer keeps the documents
 * and tabs; the decisions (which proposal a click means, whether its file is still as it was) are made here.
 */

export class ProposalStore<P> {
  private readonly byKey = new Map<string, P>();

  add(key: string, proposal: P): void {
    this.byKey.set(key, proposal);
  }

  get(key: string): P | undefined {
    return this.byKey.get(key);
  }

  /** Frees a proposal (its tab closed, or it was accepted or discarded); false when it was not there. */
  delete(key: string): boolean {
    return this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** The keys whose proposal passes `filter` (a change set's files). */
  keysWhere(filter: (p: P) => boolean): string[] {
    return [...this.byKey].filter(([, p]) => filter(p)).map(([k]) => k);
  }

  /**
   * The proposal a command means: the clicked tab's (its URI came with the command from the editor title), else
   * the active tab's, else the only one. Undefined when none matches or several could be meant.
   */
  resolve(clicked: string | undefined, active: string | undefined): { key: string; proposal: P } | undefined {
    for (const key of [clicked, active]) {
      if (key === undefined) continue;
      const proposal = this.byKey.get(key);
      if (proposal) return { key, proposal };
      if (key === clicked) return undefined; // a click on a tab whose change is gone accepts nothing else
    }
    if (this.byKey.size !== 1) return undefined;
    const [[key, proposal]] = [...this.byKey];
    return { key, proposal };
  }
}

/** What the file a proposal targets looks like now, against what it held when the proposal was made. */
export type Freshness = 'unchanged' | 'changed' | 'created' | 'deleted';

/**
 * `baseline` is the file's text when the review opened (undefined: the file did not exist); `current` its text now
 * (undefined: it does not exist). `editedAfterQuestion`: the file was saved or edited after the question was asked.
 */
export function freshness(baseline: string | undefined, current: string | undefined, editedAfterQuestion = false): Freshness {
  if (baseline === undefined) return current === undefined ? 'unchanged' : 'created';
  if (current === undefined) return 'deleted';
  return current === baseline && !editedAfterQuestion ? 'unchanged' : 'changed';
}

/**
 * Whether a file was written or edited after the question (`askedAt`, ms): its last save (`mtime`) or last
 * edit in an editor (`lastEdit`) is later. Unknown times (a conversation reopened from the history) say no.
 */
export function editedSince(askedAt: number | undefined, mtime: number | undefined, lastEdit: number | undefined): boolean {
  if (askedAt === undefined) return false;
  return (mtime ?? 0) > askedAt || (lastEdit ?? 0) > askedAt;
}
