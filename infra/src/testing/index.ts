export { loadStageConfig } from '../config/index.js';
export {
  type MockedPlatform,
  mockPlatform,
  type RegisteredResource,
  registeredResources,
  resourceKey,
} from './registered-resources.js';
