import type { Stage } from '@platform/charts/contract';

/** What a rule may know besides the objects: the stage they are meant for. */
export interface RuleContext {
  stage: Stage;
}

/** Local clusters trade strictness for a fast loop; every other stage is held to the same bar. */
export function isSharedStage(context: RuleContext): boolean {
  return context.stage !== 'local';
}
