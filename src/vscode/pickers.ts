import * as vscode from 'vscode';
import { modelChoices, regionChoices } from '../core/modelChoices';
import { displayName, isRegionId, modelInfo, regionsOffering, regionsServing } from '../core/models';
import { REASONING_EFFORTS, type ReasoningEffort } from '../core/types';
import { Configuration, type BedrockGptSettings } from './configuration';
import { ErrorActions } from './errorActions';
import { Log, unawaited } from './log';
import { TokenController } from './tokenController';

/** The parts of `vscode.window` the pickers use: injectable so tests can answer them. */
export type PickerUi = Pick<typeof vscode.window, 'showQuickPick' | 'createQuickPick' | 'showInputBox' | 'showInformationMessage'>;

interface Item<T> extends vscode.QuickPickItem {
  value?: T;
}

/** A model picker item: a model (`value`), "Custom model id…" (`custom`), or neither (why the list is only built-in). */
interface ModelItem extends Item<string> {
  custom?: true;
}

const MODEL_ID_PATTERN = /^[\w.:/-]+$/;

/** The settings' pickers: model (with what the region serves), region, reasoning effort, AWS profile. */
export class Pickers {
  constructor(
    private readonly config: Configuration,
    private readonly tokens: TokenController,
    private readonly errorActions: ErrorActions,
    private readonly log: Log,
    private readonly ui: PickerUi,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async selectModel(): Promise<string | undefined> {
    const settings = this.config.snapshot();
    const current = settings.model;
    const { item: picked, served } = await this.pickModel(settings);
    if (!picked) return undefined;
    let id = picked.value;
    if (id === undefined) {
      id = (
        await this.ui.showInputBox({
          title: vscode.l10n.t('Bedrock GPT: Custom model id'),
          prompt: vscode.l10n.t('A model id that the Bedrock endpoint serves, e.g. openai.gpt-5.4'),
          value: modelInfo(current) ? '' : current,
          validateInput: (v) => (MODEL_ID_PATTERN.test(v.trim()) ? undefined : vscode.l10n.t('Enter a model id without spaces.')),
        })
      )?.trim();
      if (!id) return undefined;
    }
    await this.config.update('model', id);
    this.log.info(`Model set to ${id}.`);
    const region = this.config.get('region');
    // What the endpoint listed is the authority; without it (offline, or the region changed meanwhile), the data.
    const listed = region === settings.region ? served : undefined;
    const servedHere = listed ? listed.includes(id) : regionsOffering(id).includes(region);
    const serving = regionsServing(id).filter((r) => r !== region);
    if (!servedHere && serving.length) {
      const switchTo = vscode.l10n.t('Switch to {0}', serving[0]);
      const choice = await this.ui.showInformationMessage(vscode.l10n.t('{0} is not served in {1}.', displayName(id), region), switchTo);
      if (choice === switchTo) await this.config.update('region', serving[0]);
    }
    return id;
  }

  /**
   * Opens the model picker at once with the built-in models, then asks the region's `/models` (busy meanwhile)
   * and shows what it serves. When that fails the built-in list stays, with the reason; hiding the picker
   * cancels the request. Resolves with the accepted item (undefined when hidden) and the listed ids, if any.
   */
  private pickModel(settings: BedrockGptSettings): Promise<{ item?: ModelItem; served?: string[] }> {
    const { model: current, region } = settings;
    const picker = this.ui.createQuickPick<ModelItem>();
    const abort = new AbortController();
    let served: string[] | undefined;
    const setItems = (items: ModelItem[]) => {
      // New items reset the highlight: keep it on the same entry (first time: the current model).
      const key = (i: ModelItem) => i.value ?? i.label;
      const active = picker.activeItems[0] ? key(picker.activeItems[0]) : current;
      picker.items = items;
      picker.activeItems = items.filter((i) => key(i) === active).slice(0, 1);
    };
    picker.title = vscode.l10n.t('Bedrock GPT: Model');
    picker.placeholder = displayName(current);
    picker.matchOnDescription = true;
    setItems(modelItems(current, region));
    picker.busy = true;

    return new Promise<{ item?: ModelItem; served?: string[] }>((resolve) => {
      const listeners = [
        picker.onDidAccept(() => {
          const item = picker.selectedItems[0] ?? picker.activeItems[0];
          // The reason item is information only: the picker stays open.
          if (!item || (item.value === undefined && !item.custom)) return;
          resolve({ item, served });
          picker.hide();
        }),
        picker.onDidHide(() => {
          abort.abort();
          for (const l of listeners) l.dispose();
          picker.dispose();
          resolve({ served });
        }),
      ];
      picker.show();
      this.tokens.listModels({ signal: abort.signal, settings }).then(
        (models) => {
          if (abort.signal.aborted) return;
          served = models;
          this.log.info(`Models served in ${region}: ${models.join(', ') || '(none)'}.`);
          setItems(modelItems(current, region, models));
          picker.busy = false;
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          const e = this.errorActions.describe(err);
          this.log.error(`Could not list the models in ${region}`, err);
          setItems(modelItems(current, region, undefined, e.message));
          picker.busy = false;
        },
      );
    });
  }

  async selectRegion(): Promise<string | undefined> {
    const current = this.config.get('region');
    const model = this.config.get('model');
    const name = displayName(model);
    const items: Item<string>[] = regionChoices(model, current).map((r) => ({
      label: r.serves ? `$(check) ${r.id}` : r.id,
      description: r.current ? vscode.l10n.t('{0} (current)', r.label) : r.label,
      detail: r.serves ? vscode.l10n.t('Serves {0}', name) : r.reported ? vscode.l10n.t('Reported to serve {0} (unconfirmed)', name) : undefined,
      value: r.id,
    }));
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: vscode.l10n.t('Other region…') });
    const picked = await this.ui.showQuickPick(items, {
      title: vscode.l10n.t('Bedrock GPT: Region'),
      placeHolder: vscode.l10n.t('Regions marked with a check serve {0}', name),
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    let region = picked.value;
    if (region === undefined) {
      region = (
        await this.ui.showInputBox({
          title: vscode.l10n.t('Bedrock GPT: Region'),
          prompt: vscode.l10n.t('An AWS region id, e.g. us-east-2'),
          value: current,
          validateInput: (v) => (isRegionId(v.trim()) ? undefined : vscode.l10n.t('Enter a region id such as us-east-2.')),
        })
      )?.trim();
      if (!region) return undefined;
    }
    await this.config.update('region', region);
    this.log.info(`Region set to ${region}.`);
    return region;
  }

  async selectReasoningEffort(): Promise<ReasoningEffort | undefined> {
    const current = this.config.get('reasoningEffort');
    const confirmed = modelInfo(this.config.get('model'))?.confirmedEfforts;
    const items: Item<ReasoningEffort>[] = REASONING_EFFORTS.map((e) => ({
      label: e === current ? `$(check) ${e}` : e,
      description: effortDescription(e),
      detail: confirmed && !confirmed.includes(e) ? vscode.l10n.t('Not confirmed on Bedrock for this model') : undefined,
      value: e,
    }));
    const picked = await this.ui.showQuickPick(items, { title: vscode.l10n.t('Bedrock GPT: Reasoning effort'), placeHolder: current });
    if (!picked?.value) return undefined;
    await this.config.update('reasoningEffort', picked.value);
    return picked.value;
  }

  async selectProfile(): Promise<string | undefined> {
    let profiles: string[];
    try {
      profiles = await (await this.tokens.core()).listProfiles(this.env);
    } catch (err) {
      unawaited(this.errorActions.show(err), 'showing an error');
      return undefined;
    }
    const current = this.config.get('profile');
    const fromEnv = this.env.AWS_PROFILE;
    const items: Item<string>[] = [
      {
        label: vscode.l10n.t('Use AWS_PROFILE / default chain'),
        description: fromEnv ? `AWS_PROFILE=${fromEnv}` : undefined,
        value: '',
      },
      ...profiles.map((p) => ({ label: p === current ? `$(check) ${p}` : p, value: p })),
    ];
    const picked = await this.ui.showQuickPick(items, {
      title: vscode.l10n.t('Bedrock GPT: AWS profile'),
      placeHolder: profiles.length ? vscode.l10n.t('Profiles from ~/.aws/config and ~/.aws/credentials') : vscode.l10n.t('No profiles found in ~/.aws/config or ~/.aws/credentials'),
    });
    if (picked?.value === undefined) return undefined;
    await this.config.update('profile', picked.value);
    if (this.config.get('authentication') !== 'awsProfile') await this.config.update('authentication', 'awsProfile');
    this.log.info(`Profile set to ${picked.value || '(AWS_PROFILE / default chain)'}.`);
    return picked.value;
  }
}

/** The model picker's items, in core's order; `problem` says why the list is only the built-in one. */
function modelItems(current: string, region: string, served?: readonly string[], problem?: string): ModelItem[] {
  const notServedText = vscode.l10n.t('not served in {0}', region);
  const items: ModelItem[] = problem ? [{ label: `$(warning) ${vscode.l10n.t('Could not ask {0} which models it serves', region)}`, detail: problem, alwaysShow: true }] : [];
  for (const c of modelChoices(current, served)) {
    switch (c.source) {
      case 'known': {
        const id = c.current ? `${c.id} $(check)` : c.id;
        items.push({ label: c.label, description: c.servedHere === false ? `${id} · ${notServedText}` : id, detail: vscode.l10n.t('Served in {0}', c.regions.join(', ')), value: c.id });
        break;
      }
      case 'listed': {
        const text = vscode.l10n.t('served in {0}', region);
        items.push({ label: c.id, description: c.current ? `$(check) ${text}` : text, value: c.id });
        break;
      }
      case 'current': {
        const text = vscode.l10n.t('current custom model');
        items.push({ label: c.id, description: c.servedHere === false ? `${text} · ${notServedText}` : text, value: c.id });
        break;
      }
    }
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: vscode.l10n.t('Custom model id…'), custom: true });
  return items;
}

function effortDescription(e: ReasoningEffort): string {
  switch (e) {
    case 'none':
      return vscode.l10n.t('No reasoning: fastest');
    case 'minimal':
      return vscode.l10n.t('Very little reasoning');
    case 'low':
      return vscode.l10n.t('Quick answers');
    case 'medium':
      return vscode.l10n.t('Balanced (default)');
    case 'high':
      return vscode.l10n.t('Thorough: slower, more output tokens');
    case 'xhigh':
      return vscode.l10n.t('Most thorough: slowest, most output tokens');
  }
}
