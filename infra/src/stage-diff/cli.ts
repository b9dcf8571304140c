import { z } from 'zod';
import { StageConfigError } from '../config/index.js';
import { stageSchema } from '../config/stage-config.js';
import { registeredResources } from '../testing/index.js';
import { renderDiff } from './render-diff.js';
import { diffStages } from './stage-diff.js';

// `npm run stage:diff -- <stageA> <stageB>`: what differs between two stages, config and resources.
const args = z.tuple([stageSchema, stageSchema]).safeParse(process.argv.slice(2).filter((a) => a !== '--'));
if (!args.success) {
  console.error(`usage: npm run stage:diff -- <stage> <stage>   (stages: ${stageSchema.options.join(', ')})`);
  process.exit(2);
}

try {
  const diff = await diffStages(...args.data, registeredResources);
  console.log(renderDiff(diff, { color: process.stdout.isTTY }));
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
