// Stand-ins for what VS Code shows the user, so the command tests can answer pickers, input boxes and messages
// (and an in-memory SecretStorage). The commands under test run for real; only the user's clicks are played.
import * as vscode from 'vscode';
import type { CommandUi } from '../../src/vscode/commands';
import { waitFor } from './environment';

export class MemorySecrets {
  readonly values = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
    this.emitter.fire({ key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.emitter.fire({ key });
  }
  async keys() {
    return [...this.values.keys()];
  }
}

export type Item = vscode.QuickPickItem & { value?: string };

/** A QuickPick made with createQuickPick: the command fills it, FakeUi answers it. */
export class FakePick {
  items: readonly Item[] = [];
  activeItems: readonly Item[] = [];
  selectedItems: readonly Item[] = [];
  title: string | undefined;
  placeholder: string | undefined;
  busy = false;
  matchOnDescription = false;
  value = '';
  hidden = false;
  private readonly accepted = new vscode.EventEmitter<void>();
  private readonly hid = new vscode.EventEmitter<void>();
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hid.event;

  constructor(private readonly shown: (pick: FakePick) => void) {}
  show() {
    this.shown(this);
  }
  accept(item: Item) {
    this.selectedItems = [item];
    this.accepted.fire();
  }
  hide() {
    if (this.hidden) return;
    this.hidden = true;
    this.hid.fire();
  }
  dispose() {
    this.hide();
    this.accepted.dispose();
    this.hid.dispose();
  }
}

/** Answers each picker with the first item `choose` accepts, and records what was offered. */
export class FakeUi {
  offered: Item[][] = [];
  /** What each createQuickPick picker held when it was shown. */
  opened: { items: Item[]; busy: boolean; active: Item[] }[] = [];
  picks: FakePick[] = [];
  /** Whether accepting the chosen item closed the picker (it does not for an information item). */
  acceptClosed: boolean[] = [];
  pickerErrors: unknown[] = [];
  inputs: (string | undefined)[] = [];
  inputOptions: vscode.InputBoxOptions[] = [];
  messages: string[] = [];
  choose: (items: Item[]) => Item | undefined = () => undefined;
  /** When a createQuickPick picker is answered; by default once it stops being busy (the user waits for the list). */
  answerWhen: (pick: FakePick) => Promise<unknown> = (pick) => waitFor('the model list', () => !pick.busy, 20_000);
  answerMessage: string | undefined;

  private answer = async (pick: FakePick) => {
    this.picks.push(pick);
    this.opened.push({ items: [...pick.items], busy: pick.busy, active: [...pick.activeItems] });
    try {
      await this.answerWhen(pick);
      if (pick.hidden) return;
      const list = [...pick.items];
      this.offered.push(list);
      const chosen = this.choose(list);
      if (chosen) {
        pick.accept(chosen);
        this.acceptClosed.push(pick.hidden);
      }
    } catch (err) {
      this.pickerErrors.push(err);
    }
    pick.hide();
  };

  readonly ui = {
    showQuickPick: async (items: readonly Item[] | Thenable<readonly Item[]>) => {
      const list = [...(await items)];
      this.offered.push(list);
      return this.choose(list);
    },
    createQuickPick: () => new FakePick((pick) => void this.answer(pick)),
    showInputBox: async (options?: vscode.InputBoxOptions) => {
      this.inputOptions.push(options ?? {});
      const value = this.inputs.shift();
      if (value !== undefined && options?.validateInput) {
        const problem = await options.validateInput(value);
        if (problem) throw new Error(`the input box refused ${value}: ${String(problem)}`);
      }
      return value;
    },
    showInformationMessage: async (message: string) => {
      this.messages.push(message);
      return this.answerMessage;
    },
    showWarningMessage: async (message: string) => {
      this.messages.push(message);
      return this.answerMessage;
    },
  } as unknown as CommandUi;
}

/** The model ids a model picker offers, in order. */
export const modelIds = (items: readonly Item[]) => items.filter((i) => i.value).map((i) => i.value);
export const itemFor = (items: Item[], id: string) => items.find((i) => i.value === id)!;
export const reasonItem = (items: Item[]) => items.find((i) => i.label.startsWith('$(warning)'));
