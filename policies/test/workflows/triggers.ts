/**
 * The events that start this repository's workflows, as the contexts GitHub builds for them: `github.event` is
 * the webhook payload (only the fields our conditions read), `inputs` is null where the event has none.
 * A called workflow (workflow_call) sees its caller's `github` context and the inputs the caller passes, over
 * the defaults it declares.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { Job, Workflow } from '../support/workflows.js';
import { expressionBody, type Trigger } from './job-conditions.js';

export const repository = 'platform-org/platform';

export function pullRequest(options: { fromFork?: boolean } = {}): Trigger {
  const head = options.fromFork ? 'someone/platform' : repository;
  return {
    title: options.fromFork ? 'a pull request from a fork' : 'a pull request',
    github: {
      event_name: 'pull_request',
      ref: 'refs/pull/42/merge',
      repository,
      event: {
        action: 'synchronize',
        number: 42,
        pull_request: { number: 42, head: { ref: 'feature', repo: { full_name: head } } },
      },
    },
    inputs: null,
  };
}

export function pushToMain(): Trigger {
  return {
    title: 'a push to main',
    github: {
      event_name: 'push',
      ref: 'refs/heads/main',
      repository,
      event: { ref: 'refs/heads/main', before: '0'.repeat(40), after: 'a'.repeat(40) },
    },
    inputs: null,
  };
}

export function workflowDispatch(inputs: Record<string, unknown>): Trigger {
  return {
    title: `workflow_dispatch ${JSON.stringify(inputs)}`,
    github: { event_name: 'workflow_dispatch', ref: 'refs/heads/main', repository, event: { inputs } },
    inputs,
  };
}

/**
 * The value of a `with:` entry in the caller's contexts: a whole `${{ }}` is evaluated, a literal kept. Outputs
 * of the caller's other jobs are not known here and read as null.
 */
function resolve(value: unknown, caller: Trigger): unknown {
  if (typeof value !== 'string' || !/^\s*\$\{\{[\s\S]*\}\}\s*$/.test(value)) return value;
  const contexts = { github: caller.github, inputs: caller.inputs ?? null, needs: {}, vars: {} };
  const tokens = new Lexer(expressionBody(value)).lex().tokens;
  const parsed = new Parser(tokens, Object.keys(contexts), []).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return JSON.parse(JSON.stringify(new Evaluator(parsed, context).evaluate(), data.replacer));
}

/** The trigger a called workflow sees when `job` of its caller calls it during `caller`. */
export function workflowCall(called: Workflow, job: Job, caller: Trigger): Trigger {
  const declared = ((called.on.workflow_call ?? {}) as { inputs?: Record<string, { default?: unknown }> })
    .inputs;
  const defaults = Object.fromEntries(
    Object.entries(declared ?? {})
      .filter(([, input]) => 'default' in input)
      .map(([name, input]) => [name, input.default]),
  );
  const passed = Object.fromEntries(
    Object.entries(job.with ?? {}).map(([name, value]) => [name, resolve(value, caller)]),
  );
  return {
    title: `called by ${job.uses} during ${caller.title}`,
    github: caller.github,
    inputs: { ...defaults, ...passed },
  };
}
