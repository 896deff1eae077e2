import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import * as vscode from 'vscode';
import { workspaceRelative } from '../core/location';

export interface WorkspaceFile {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  /** Workspace-relative, `/`-separated (core's workspaceRelative). */
  path: string;
  size: number;
}

/**
 * The file a workspace-relative path names in one of the workspace folders: a file (not a folder) that is really
 * inside the folder, a symbolic link pointing out of it being outside. Undefined for anything else (`..`,
 * absolute paths, missing files). The one rule for opening a location and for reading an `@file`.
 */
export async function workspaceFile(relPath: string): Promise<WorkspaceFile | undefined> {
  const path = workspaceRelative(relPath);
  if (!path) return undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...path.split('/'));
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (!stat || (stat.type & vscode.FileType.File) === 0) continue;
    if (uri.scheme === 'file' && !(await insideFolder(uri.fsPath, folder.uri.fsPath))) continue;
    return { uri, folder, path, size: stat.size };
  }
  return undefined;
}

/** Whether `file`, with every link resolved, is inside `folder` (also resolved). */
async function insideFolder(file: string, folder: string): Promise<boolean> {
  try {
    const [real, root] = await Promise.all([realpath(file), realpath(folder)]);
    return real.startsWith(root.endsWith(sep) ? root : root + sep);
  } catch {
    return false;
  }
}
