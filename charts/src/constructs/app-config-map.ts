import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { service } from '../contract.js';
import type { AppSettings } from '../runtime/app-settings.js';
import { objectLabels } from './labels.js';

export const configMapName = `${service.name}-config`;

/** Non-secret settings as environment variables; secrets never land here (they come from Vault). */
export class AppConfigMap extends kplus.k8s.KubeConfigMap {
  /** Changes with the data, so pods that read it roll when it changes. */
  readonly checksum: string;

  constructor(scope: Construct, id: string, settings: AppSettings) {
    super(scope, id, {
      metadata: { name: configMapName, labels: objectLabels('api') },
      data: { ...settings },
    });
    this.checksum = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
  }
}
