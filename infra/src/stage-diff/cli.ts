import { StageConfigError } from '../config/index.js';
import { stageSchema } from '../config/stage-config.js';
import { registeredResources } from '../testing/index.js';
import { renderDiff } from './render-diff.js';
import { diffStages } from './stage-diff.js';

// `npm run stage:diff -- <stageA> <stageB>`: what differs between two stages, config and resources.
const args = process.argv.slice(2).filter((a) => a !== '--');
const parsed = args.map((a) => stageSchema.safeParse(a));
if (args.length !== 2 || parsed.some((p) => !p.success)) {
  console.error(`usage: npm run stage:diff -- <stage> <stage>   (stages: ${stageSchema.options.join(', ')})`);
  process.exit(2);
}
const [left, right] = parsed.map((p) => p.data!) as [typeof stageSchema._output, typeof stageSchema._output];

try {
  const diff = await diffStages(left, right, registeredResources);
  console.log(renderDiff(diff, { color: process.stdout.isTTY }));
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
