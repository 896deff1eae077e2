// The command line's --help text.
import { version } from '../../package.json';
import { DEFAULT_MODEL, DEFAULT_REGION, KNOWN_MODELS } from '../core/models';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../core/token';
import { REASONING_EFFORTS } from '../core/types';

export const USAGE = `bedrock-gpt ${version}: OpenAI GPT-5.5 / GPT-5.4 on Amazon Bedrock with your AWS credentials

Usage:
  bedrock-gpt token  [--profile P] [--region R] [--expires-in S]
  bedrock-gpt ask    [--profile P] [--region R] [--model M] [--effort E] [--instructions TEXT]
                     [--endpoint URL] [--max-output-tokens N] [--first-byte-timeout S] [--idle-timeout S] [--no-stream] [--json] PROMPT...
  bedrock-gpt models [--profile P] [--region R] [--endpoint URL]
  bedrock-gpt review [--staged | --base REF] [ask's options] [-- PATH...]
  bedrock-gpt --help | --version

Commands:
  token   Print a short-term Bedrock bearer token (only the token) on stdout:
            TOKEN=$(bedrock-gpt token --region us-east-2)
  ask     Stream the answer to stdout; usage and cost go to stderr. Text piped on stdin is sent as context:
            git diff | bedrock-gpt ask "review this"
  models  List the models the region's endpoint serves (* marks the ones with known prices).
  review  Review the changes of the git repository you are in: unstaged (default), --staged, or the branch
          against --base REF (git diff REF...HEAD). Findings name their place as path:line. A diff too
          large for the model is refused with its size; name PATHs to review some files only.

Options:
  --profile P            AWS profile (default: AWS_PROFILE, else the default credential chain)
  --region R             AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, ${DEFAULT_REGION})
  --expires-in S         token lifetime in seconds, 1..${MAX_TOKEN_LIFETIME_SECONDS} (default ${MAX_TOKEN_LIFETIME_SECONDS})
  --model M              model id (default ${DEFAULT_MODEL}; known: ${KNOWN_MODELS.map((m) => m.id).join(', ')})
  --effort E             reasoning effort: ${REASONING_EFFORTS.join(', ')}
  --instructions TEXT    developer instructions (system prompt)
  --endpoint URL         base URL (default: AWS_BEDROCK_BASE_URL, else https://bedrock-mantle.<region>.api.aws/openai/v1);
                         may contain {region}; plain http only for loopback
  --max-output-tokens N  cap on output tokens (reasoning included)
  --first-byte-timeout S most seconds until the answer begins (default 60)
  --idle-timeout S       most seconds a begun answer may send nothing (default 120)
  --no-stream            wait for the whole answer instead of streaming it
  --json                 print the final response (with usage) as JSON instead of the text
  --staged               review: the staged changes (git diff --cached)
  --base REF             review: the branch against REF (a branch, tag or commit)

Authentication: ask and models use AWS_BEARER_TOKEN_BEDROCK (a Bedrock API key) as it is when set; otherwise,
and always for token, a short-term token is signed from your AWS credentials (bedrock:CallWithBearerToken).
Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted.
`;
