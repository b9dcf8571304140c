import { postgres } from '@platform/charts/contract';
import { barmanCloudPlugin, syncedSecrets } from '../cluster/platform-names.js';
import type { BackupConfig, RecoveryConfig } from '../config/index.js';

/**
 * The Barman Cloud plugin's objects and the Cluster fields that point at them, shared by the platform's Cluster
 * and the restore drill's throwaway one. Field names: plugin-barman-cloud v0.13.0 (the plugin-barman-cloud chart
 * 0.7.0 ships it), ObjectStore CRD `config/crd/bases/barmancloud.cnpg.io_objectstores.yaml`, and its parameters
 * page (`barmanObjectName`, `serverName`; the ObjectStore's own serverName must stay empty); the Cluster's
 * `plugins`, `externalClusters[].plugin` and `bootstrap.recovery`: cloudnative-pg chart 0.29.0 Cluster CRD.
 */
export const objectStoreNames = {
  /** Where the cluster archives WAL and base backups. */
  backups: `${postgres.cluster}-backups`,
  /** A second store, only when recovery reads from another destination than the stage's own. */
  recoverySource: `${postgres.cluster}-recovery-source`,
} as const;

/** `externalClusters[].name` the recovery bootstrap reads from. */
export const recoverySourceName = 'origin';

export interface StoreLocation {
  destinationPath: string;
  endpointURL?: string;
}

/**
 * An ObjectStore's spec. `retentionPolicy` only on the store the cluster archives into: the plugin prunes base
 * backups and WAL of the store it archives with, and a store read for recovery must never be pruned from here.
 */
export function objectStoreSpec(location: StoreLocation, retentionPolicy?: string) {
  return {
    ...(retentionPolicy ? { retentionPolicy } : {}),
    configuration: {
      destinationPath: location.destinationPath,
      ...(location.endpointURL ? { endpointURL: location.endpointURL } : {}),
      s3Credentials: {
        accessKeyId: { name: syncedSecrets.backup.name, key: syncedSecrets.backup.accessKeyId },
        secretAccessKey: { name: syncedSecrets.backup.name, key: syncedSecrets.backup.secretAccessKey },
      },
      wal: { compression: 'gzip' },
      data: { compression: 'gzip' },
    },
  };
}

/** The Cluster's `spec.plugins`: the plugin archives WAL (and takes base backups) into `serverName`'s folder. */
export function walArchiver(backup: Pick<BackupConfig, 'serverName'>) {
  return [
    {
      name: barmanCloudPlugin,
      isWALArchiver: true,
      parameters: { barmanObjectName: objectStoreNames.backups, serverName: backup.serverName },
    },
  ];
}

/** Does recovery read a destination other than the stage's own (and so need its own ObjectStore)? */
export function readsAnotherStore(recovery: RecoveryConfig, backup: BackupConfig): boolean {
  return recovery.destinationPath !== undefined && recovery.destinationPath !== backup.destinationPath;
}

export interface RecoveryBootstrapArgs {
  /** The folder the backed-up cluster archived into. */
  serverName: string;
  /** ObjectStore (in the Cluster's namespace) holding that folder. */
  objectStore: string;
  targetTime?: string;
  /** The application database and its owner, as the backup holds them; `secret` resets the owner's password. */
  database: string;
  owner: string;
  ownerSecret?: string;
}

/**
 * `bootstrap.recovery` from the plugin's archive, and the external cluster naming it. Without a target time
 * CloudNativePG replays the whole archive; with one it picks the newest base backup before it and stops there.
 */
export function recoveryBootstrap(args: RecoveryBootstrapArgs) {
  return {
    bootstrap: {
      recovery: {
        source: recoverySourceName,
        database: args.database,
        owner: args.owner,
        ...(args.ownerSecret ? { secret: { name: args.ownerSecret } } : {}),
        ...(args.targetTime ? { recoveryTarget: { targetTime: args.targetTime } } : {}),
      },
    },
    externalClusters: [
      {
        name: recoverySourceName,
        plugin: {
          name: barmanCloudPlugin,
          parameters: { barmanObjectName: args.objectStore, serverName: args.serverName },
        },
      },
    ],
  };
}
