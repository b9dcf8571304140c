/**
 * Which jobs of a workflow run for a given trigger, decided the way GitHub decides it: each `if:` is parsed and
 * evaluated by GitHub's own expression engine (@actions/expressions, from actions/languageservices), over the
 * contexts the trigger provides. Status functions follow GitHub's documented rules ("Status check functions",
 * docs.github.com/actions/reference/workflows-and-actions/expressions): a condition without one is
 * `success() && (condition)`, and a job whose needs did not all succeed is skipped unless its condition says
 * otherwise.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { type Job, needsOf, type Step, type Workflow } from '../support/workflows.js';

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';

/** What a trigger hands the expressions of one run: github.*, inputs (absent: null), anything else by name. */
export interface Trigger {
  /** Shown in test names. */
  title: string;
  github: { event_name: string; ref: string; repository: string; event: Record<string, unknown> };
  inputs?: Record<string, unknown> | null;
}

const statusFunctions = ['success', 'failure', 'always', 'cancelled'] as const;
const statusCall = new RegExp(`\\b(${statusFunctions.join('|')})\\s*\\(`);

/** `${{ expr }}` or a bare `expr`, as workflows may write an `if:`. */
export function expressionBody(condition: string): string {
  const wrapped = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return (wrapped?.[1] ?? condition).trim();
}

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/**
 * Evaluates one `if:` (job or step) with GitHub's engine. `dependencies` are the results the status functions
 * look at: the job's needs, or for a step the steps before it.
 */
export function evaluateCondition(
  condition: string | undefined,
  contexts: Record<string, unknown>,
  dependencies: JobResult[],
): boolean {
  const body = condition === undefined ? 'success()' : expressionBody(condition);
  const source = statusCall.test(body) ? body : `success() && (${body})`;
  const status: Record<(typeof statusFunctions)[number], () => boolean> = {
    success: () => dependencies.every((result) => result === 'success'),
    failure: () => dependencies.some((result) => result === 'failure'),
    cancelled: () => dependencies.some((result) => result === 'cancelled'),
    always: () => true,
  };
  const functions = new Map(
    statusFunctions.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]()) },
    ]),
  );
  const tokens = new Lexer(source).lex().tokens;
  const parsed = new Parser(tokens, Object.keys(contexts), [...functions.values()]).parse();
  const dictionary = toData(contexts) as data.Dictionary;
  return truthy(new Evaluator(parsed, dictionary, functions).evaluate());
}

function contextsOf(trigger: Trigger, needs: Record<string, { result: JobResult; outputs: object }>) {
  return { github: trigger.github, inputs: trigger.inputs ?? null, needs, vars: {}, env: {} };
}

/** Jobs in an order where every job comes after the jobs it needs. */
function ordered(jobs: Record<string, Job>): string[] {
  const done: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (done.includes(name)) return;
    if (path.includes(name)) throw new Error(`needs cycle: ${[...path, name].join(' -> ')}`);
    for (const need of needsOf(jobs[name] ?? {})) visit(need, [...path, name]);
    done.push(name);
  };
  for (const name of Object.keys(jobs)) visit(name, []);
  return done;
}

/**
 * Every job's result for one trigger, assuming each job that runs succeeds (or fails, for the names in
 * `failing`): what `needs.<job>.result` would say.
 */
export function jobResults(
  flow: Workflow,
  trigger: Trigger,
  failing: string[] = [],
): Record<string, JobResult> {
  const results: Record<string, JobResult> = {};
  for (const name of ordered(flow.jobs)) {
    const job = flow.jobs[name] as Job;
    const needs = Object.fromEntries(
      needsOf(job).map((need) => [need, { result: results[need] as JobResult, outputs: {} }]),
    );
    const runs = evaluateCondition(
      job.if,
      contextsOf(trigger, needs),
      Object.values(needs).map(({ result }) => result),
    );
    results[name] = !runs ? 'skipped' : failing.includes(name) ? 'failure' : 'success';
  }
  return results;
}

/** The names of the jobs that run for a trigger, in workflow order. */
export function jobsThatRun(flow: Workflow, trigger: Trigger): string[] {
  const results = jobResults(flow, trigger);
  return Object.keys(flow.jobs).filter((name) => results[name] !== 'skipped');
}

/**
 * Which steps of a job run when the steps named in `failing` fail: `steps.<id>.outputs` come from `outputs`
 * (step id -> outputs), as the runner would have recorded them.
 */
export function stepsThatRun(
  steps: Step[],
  trigger: Trigger,
  options: { failing?: string[]; outputs?: Record<string, Record<string, string>>; env?: object } = {},
): string[] {
  const results: JobResult[] = [];
  const recorded: Record<string, { outcome: JobResult; conclusion: JobResult; outputs: object }> = {};
  const ran: string[] = [];
  for (const [index, step] of steps.entries()) {
    const label = step.id ?? step.name ?? step.uses ?? `step ${index + 1}`;
    const contexts = { ...contextsOf(trigger, {}), steps: recorded, env: options.env ?? {} };
    // A step skipped by its own condition does not fail the job: status functions see only what ran.
    const before = results.filter((result) => result !== 'skipped');
    const runs = evaluateCondition(step.if, contexts, before);
    const result: JobResult = !runs ? 'skipped' : options.failing?.includes(label) ? 'failure' : 'success';
    if (runs) ran.push(label);
    results.push(result);
    if (step.id) {
      recorded[step.id] = { outcome: result, conclusion: result, outputs: options.outputs?.[step.id] ?? {} };
    }
  }
  return ran;
}
