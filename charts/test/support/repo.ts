import { fileURLToPath } from 'node:url';

/** The repository root: the Docker build context and Skaffold's working directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
