import { isIPv4 } from 'node:net';

/**
 * A MaxMind DB file (format 2.0, https://maxmind.github.io/MaxMind-DB/) built in memory for a test: an IPv6
 * search tree with 24-bit records holding IPv4 networks at ::/96, as MaxMind's own databases do. No writer
 * for this format is published on npm (MaxMind's is in Go, the older one in Perl), so this one writes the
 * little the tests need: maps, UTF-8 strings, unsigned integers and arrays. The production reader (`maxmind`)
 * reads what it writes; nothing here is used by the service.
 */
export type MmdbValue = string | number | readonly MmdbValue[] | { readonly [key: string]: MmdbValue };

/** `networks` maps CIDR ranges (IPv4 or IPv6, not overlapping) to their records. */
export function mmdbDatabase(
  networks: Readonly<Record<string, MmdbValue>>,
  databaseType = 'Test-Country',
): Buffer {
  const root: TreeNode = [undefined, undefined];
  const data = new DataSection();
  for (const [cidr, record] of Object.entries(networks)) {
    const [address = '', prefix = ''] = cidr.split('/');
    const bits = addressBits(address).slice(0, (isIPv4(address) ? 96 : 0) + Number(prefix));
    insert(root, bits, data.add(record));
  }
  const nodes = numbered(root);
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  const recordValue = (child: TreeNode | number | undefined) =>
    child === undefined
      ? nodeCount
      : typeof child === 'number'
        ? nodeCount + 16 + child
        : nodes.indexOf(child);
  nodes.forEach((node, index) => {
    tree.writeUIntBE(recordValue(node[0]), index * 6, 3);
    tree.writeUIntBE(recordValue(node[1]), index * 6 + 3, 3);
  });
  // libmaxminddb checks each metadata field's type, not only its value.
  const metadata = map([
    ['node_count', uint(types.uint32, nodeCount)],
    ['record_size', uint(types.uint16, 24)],
    ['ip_version', uint(types.uint16, 6)],
    ['database_type', encode(databaseType)],
    ['languages', encode(['en'])],
    ['binary_format_major_version', uint(types.uint16, 2)],
    ['binary_format_minor_version', uint(types.uint16, 0)],
    ['build_epoch', uint(types.uint64, Math.floor(Date.now() / 1000))],
    ['description', encode({ en: 'Built for a test' })],
  ]);
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    data.bytes(),
    Buffer.from('\xAB\xCD\xEFMaxMind.com', 'latin1'),
    metadata,
  ]);
}

/** A search-tree node: each side is a deeper node, a data-section offset, or nothing (no data). */
type TreeNode = [TreeNode | number | undefined, TreeNode | number | undefined];

function insert(root: TreeNode, bits: readonly number[], offset: number): void {
  let node = root;
  bits.forEach((bit, depth) => {
    const side = bit as 0 | 1;
    if (depth === bits.length - 1) {
      node[side] = offset;
      return;
    }
    const next = node[side];
    if (typeof next === 'number') throw new Error('overlapping networks');
    node[side] = next ?? [undefined, undefined];
    node = node[side] as TreeNode;
  });
}

/** Nodes in breadth-first order: the root is node 0, as readers expect. */
function numbered(root: TreeNode): TreeNode[] {
  const nodes: TreeNode[] = [root];
  for (let index = 0; index < nodes.length; index++) {
    for (const child of nodes[index]!) if (Array.isArray(child)) nodes.push(child);
  }
  return nodes;
}

/** 128 bits; an IPv4 address is an IPv6 one in ::/96, so its bits follow 96 zeros. */
function addressBits(address: string): number[] {
  const bytes = isIPv4(address)
    ? [...new Array<number>(12).fill(0), ...address.split('.').map(Number)]
    : ipv6Bytes(address);
  return bytes.flatMap((byte) => Array.from({ length: 8 }, (_, bit) => (byte >> (7 - bit)) & 1));
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((group) => [group >> 8, group & 0xff]);
}

class DataSection {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly offsets = new Map<string, number>();

  /** The record's offset in the data section; equal records are written once. */
  add(record: MmdbValue): number {
    const key = JSON.stringify(record);
    const known = this.offsets.get(key);
    if (known !== undefined) return known;
    const bytes = encode(record);
    const offset = this.size;
    this.chunks.push(bytes);
    this.size += bytes.length;
    this.offsets.set(key, offset);
    return offset;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

// Type numbers of the data section; 8 and above are "extended" (type 0 in the control byte, then type - 7).
const types = { string: 2, uint16: 5, uint32: 6, map: 7, uint64: 9, array: 11 } as const;

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(types.string, bytes.length), bytes]);
  }
  if (typeof value === 'number') return uint(value > 0xffff_ffff ? types.uint64 : types.uint32, value);
  if (Array.isArray(value)) {
    return Buffer.concat([control(types.array, value.length), ...value.map(encode)]);
  }
  return map(Object.entries(value).map(([key, item]) => [key, encode(item)]));
}

function map(entries: readonly [string, Buffer][]): Buffer {
  return Buffer.concat([
    control(types.map, entries.length),
    ...entries.flatMap(([key, item]) => [encode(key), item]),
  ]);
}

/** Unsigned integers are big-endian in as few bytes as they need (zero in none). */
function uint(type: number, value: number): Buffer {
  const hex = value === 0 ? '' : value.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return Buffer.concat([control(type, bytes.length), bytes]);
}

/** The control byte(s): type in the top three bits, size in the low five (29+ spills into following bytes). */
function control(type: number, size: number): Buffer {
  const [sizeBits, extra] =
    size < 29
      ? [size, Buffer.alloc(0)]
      : size < 285
        ? [29, Buffer.from([size - 29])]
        : [30, Buffer.from([(size - 285) >> 8, (size - 285) & 0xff])];
  const head = type <= 7 ? [(type << 5) | sizeBits] : [sizeBits, type - 7];
  return Buffer.concat([Buffer.from(head), extra]);
}
