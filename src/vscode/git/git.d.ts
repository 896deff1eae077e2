// The few shapes of VS Code's built-in Git extension API (`vscode.git`, getAPI(1)) that Review Changes uses, as
// declared in microsoft/vscode extensions/git/src/api/git.d.ts. Only types: the extension provides the objects.
import type { Uri } from 'vscode';

export interface GitRef {
  /** 0 head (a local branch), 1 remote head, 2 tag. */
  readonly type: number;
  readonly name?: string;
  readonly commit?: string;
  readonly remote?: string;
}

export interface GitChange {
  readonly uri: Uri;
  readonly originalUri: Uri;
  readonly renameUri: Uri | undefined;
  readonly status: number;
}

export interface GitRepositoryState {
  readonly HEAD: GitRef | undefined;
  readonly indexChanges: GitChange[];
  readonly workingTreeChanges: GitChange[];
}

export interface GitRepository {
  readonly rootUri: Uri;
  readonly state: GitRepositoryState;
  /** `git diff`, or `git diff --cached` when `cached`. */
  diff(cached?: boolean): Promise<string>;
  diffBetween(ref1: string, ref2: string): Promise<GitChange[]>;
  diffBetween(ref1: string, ref2: string, path: string): Promise<string>;
  getMergeBase(ref1: string, ref2: string): Promise<string | undefined>;
  getBranches(query: { remote?: boolean; sort?: 'alphabetically' | 'committerdate'; contains?: string; pattern?: string; count?: number }): Promise<GitRef[]>;
  status(): Promise<void>;
}

export interface GitAPI {
  readonly state: 'uninitialized' | 'initialized';
  readonly repositories: GitRepository[];
  getRepository(uri: Uri): GitRepository | null;
  openRepository(root: Uri): Promise<GitRepository | null>;
}

export interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitAPI;
}
