import * as vscode from 'vscode';
import type { BudgetVerdict } from '../../core/contextBudget';
import type { WordedError } from '../../core/conversation';
import { formatDollars } from '../../core/cost';
import { displayName } from '../../core/models';
import { assertNever, type ChatTurn } from '../../shared/protocol';
import { unawaited } from '../log';
import type { ChatUi } from './editorTarget';

export function tooLargeMessage(model: string, verdict: Extract<BudgetVerdict, { kind: 'refuse' }>): string {
  return vscode.l10n.t(
    'Not sent: the question is too large for {0}. It is about {1} tokens (estimated); the limit is {2} tokens (the context minus the room kept for the answer). Select less code or start a new chat.',
    displayName(model), verdict.estimatedTokens.toLocaleString('en-US'), verdict.limit.toLocaleString('en-US'),
  );
}

/**
 * The conversation's gate, on its budget verdict (the exact request, counted once with the model's tokenizer):
 * refuse what cannot fit the model's context (with its size and the limit), and ask before sending something
 * large (with its estimated price).
 */
export async function budgetDialog(ui: ChatUi, turn: ChatTurn, verdict: BudgetVerdict): Promise<WordedError | undefined> {
  const tokens = verdict.estimatedTokens.toLocaleString('en-US');
  switch (verdict.kind) {
    case 'ok':
      return undefined;
    case 'refuse': {
      const message = tooLargeMessage(turn.model, verdict);
      // A question with `@` items stays in the panel's box, with the refusal as its notice: no second message.
      if (!turn.context?.length) unawaited(ui.showErrorMessage(message), 'showing a message');
      return { code: 'too-large', message, actions: [] };
    }
    case 'confirm': {
      const send = vscode.l10n.t('Send');
      const cost = verdict.priceKnown ? formatDollars(verdict.estimatedDollars) : vscode.l10n.t('an unknown amount');
      const choice = await ui.showWarningMessage(
        vscode.l10n.t('This question is large: about {0} tokens (estimated). Its input alone will cost about {1} with {2}. Send it?', tokens, cost, displayName(turn.model)),
        { modal: true },
        send,
      );
      if (choice === send) return undefined;
      return { code: 'not-confirmed', message: vscode.l10n.t('Not sent: the large question was not confirmed. Retry to be asked again.'), actions: [{ kind: 'askAgain' }] };
    }
    default:
      return assertNever(verdict, 'budget verdict');
  }
}
