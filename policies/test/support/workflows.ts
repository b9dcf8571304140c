import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const githubDirectory = fileURLToPath(new URL('../../../.github/', import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string | { name: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  permissions?: Record<string, string> | string;
  outputs?: Record<string, string>;
  services?: Record<string, { image: string }>;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function workflowFiles(): string[] {
  return readdirSync(join(githubDirectory, 'workflows'))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export function workflowText(file: string): string {
  return readFileSync(join(githubDirectory, 'workflows', file), 'utf8');
}

export function workflow(file: string): Workflow {
  return parse(workflowText(file)) as Workflow;
}

export function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : [job.needs].flat();
}

/** Every step of a workflow, with the job it belongs to. */
export function stepsOf(flow: Workflow): { job: string; step: Step }[] {
  return Object.entries(flow.jobs).flatMap(([job, { steps = [] }]) => steps.map((step) => ({ job, step })));
}

export function action(step: Step): string | undefined {
  return step.uses?.split('@')[0];
}

/** A GitHub expression as written in a workflow: `expression('inputs.stage')` is `${{ inputs.stage }}`. */
export const expression = (body: string) => `\${{ ${body} }}`;
