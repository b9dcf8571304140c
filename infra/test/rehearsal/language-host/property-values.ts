import * as pulumi from '@pulumi/pulumi';

/**
 * Plain values from the property maps the SDK sends the engine. The SDK marks secrets, resource references,
 * output values, assets and archives with a signature key and sends unknowns as one sentinel string
 * (@pulumi/pulumi@3.248.0 runtime/rpc.js `serializeProperty`); the engine's own decoder
 * (sdk/go/common/resource/plugin/rpc.go `UnmarshalPropertyValue`) reads the same markers.
 */
export interface DecodedProperties {
  /** The values with every marker unwrapped; an unknown stays the SDK's sentinel (`unknownValue`). */
  value: Record<string, unknown>;
  /** Dotted paths (`values.auth.password`, `objs[2].data`) of values sent as secrets. */
  secretPaths: string[];
  /** Dotted paths of values that were unknown when the program registered the resource. */
  unknownPaths: string[];
}

/** What a resource reference becomes: the engine only ever sees its URN (and id for custom resources). */
export interface ResourceReference {
  urn: string;
  id?: unknown;
  packageVersion?: string;
}

export const unknownValue: string = pulumi.runtime.unknownValue;
const sigKey: string = pulumi.runtime.specialSigKey;
const sig = {
  secret: pulumi.runtime.specialSecretSig as string,
  resource: pulumi.runtime.specialResourceSig as string,
  output: pulumi.runtime.specialOutputValueSig as string,
  asset: pulumi.runtime.specialAssetSig as string,
  archive: pulumi.runtime.specialArchiveSig as string,
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const childPath = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** Decodes a Struct's JavaScript form (`struct.toJavaScript()`) into plain values plus where secrets and unknowns were. */
export function decodeProperties(properties: Record<string, unknown> | undefined): DecodedProperties {
  const secretPaths: string[] = [];
  const unknownPaths: string[] = [];

  const decode = (value: unknown, path: string): unknown => {
    if (value === unknownValue) {
      unknownPaths.push(path);
      return unknownValue;
    }
    if (Array.isArray(value)) return value.map((item, i) => decode(item, childPath(path, i)));
    if (!isRecord(value)) return value;
    switch (value[sigKey]) {
      case undefined:
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, childPath(path, k))]));
      case sig.secret:
        secretPaths.push(path);
        return decode(value.value, path);
      case sig.output: {
        if (value.secret === true) secretPaths.push(path);
        if (!('value' in value)) {
          unknownPaths.push(path);
          return unknownValue;
        }
        return decode(value.value, path);
      }
      case sig.resource: {
        const ref: ResourceReference = { urn: String(value.urn) };
        if ('id' in value) ref.id = decode(value.id, childPath(path, 'id'));
        if (typeof value.packageVersion === 'string' && value.packageVersion) {
          ref.packageVersion = value.packageVersion;
        }
        return ref;
      }
      case sig.asset:
      case sig.archive: {
        const { [sigKey]: _, ...rest } = value;
        return { kind: value[sigKey] === sig.asset ? 'asset' : 'archive', ...rest };
      }
      default:
        throw new Error(`${path || '<root>'}: unknown property signature ${String(value[sigKey])}`);
    }
  };

  return { value: decode(properties ?? {}, '') as Record<string, unknown>, secretPaths, unknownPaths };
}
