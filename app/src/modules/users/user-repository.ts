import { jsonCodec, type ReadThroughCache } from '../../adapters/cache/read-through-cache.js';
import type { FieldCipher } from '../../adapters/crypto/field-cipher.js';
import type { User as UserRow } from '../../generated/prisma/client.js';
import { Conflict } from '../../shared/errors.js';
import { type AfterWrite, type DbClient, isUniqueViolation } from '../shared/db-client.js';
import { after, newestFirst, type Page, type Position, toPage } from '../shared/pagination.js';
import type { Role, User, UserWithPassword } from './user.js';

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly fullName: string;
  readonly role?: Role;
  readonly verified?: boolean;
}

export interface UserChanges {
  readonly fullName?: string;
  readonly role?: Role;
  readonly active?: boolean;
  readonly passwordHash?: string;
}

/** A user row as stored, minus the password hash: what the cache may hold (the full name still encrypted). */
type StoredUser = Omit<UserRow, 'passwordHash'>;
const userCodec = jsonCodec<StoredUser>('user', ['createdAt', 'updatedAt']);
const withoutPassword = ({ passwordHash: _hidden, ...row }: UserRow): StoredUser => row;

/**
 * Users as the rest of the service sees them: the full name is encrypted at rest (in the database and in the
 * cache alike) and decrypted here only.
 */
export function userRepository(
  db: DbClient,
  cipher: FieldCipher,
  cache: ReadThroughCache,
  afterWrite: AfterWrite,
) {
  // Rows read or written here still carry the hash: it never leaves this repository inside a User.
  const toUser = async (row: StoredUser | UserRow): Promise<User> => {
    const { passwordHash: _hidden, ...stored } = row as UserRow;
    return { ...stored, fullName: await cipher.decrypt(row.fullName) };
  };
  const withPassword = async (row: UserRow): Promise<UserWithPassword> => ({
    ...(await toUser(row)),
    passwordHash: row.passwordHash,
  });
  const encrypted = async <T extends { fullName?: string }>(data: T): Promise<T> =>
    data.fullName === undefined ? data : { ...data, fullName: await cipher.encrypt(data.fullName) };

  return {
    async create(user: NewUser): Promise<User> {
      try {
        return await toUser(await db.user.create({ data: await encrypted(user) }));
      } catch (error) {
        if (isUniqueViolation(error)) throw new Conflict('A user with this email already exists.');
        throw error;
      }
    },
    async findById(id: string): Promise<User | undefined> {
      const row = await cache.get(userCodec, id, async () => {
        const found = await db.user.findUnique({ where: { id } });
        return found ? withoutPassword(found) : undefined;
      });
      return row ? toUser(row) : undefined;
    },
    async findByIdWithPassword(id: string): Promise<UserWithPassword | undefined> {
      const row = await db.user.findUnique({ where: { id } });
      return row ? withPassword(row) : undefined;
    },
    /** One index probe, no decryption: for checks that only need to know. */
    async emailTaken(email: string): Promise<boolean> {
      return (await db.user.count({ where: { email } })) > 0;
    },
    async findByEmailWithPassword(email: string): Promise<UserWithPassword | undefined> {
      const row = await db.user.findUnique({ where: { email } });
      return row ? withPassword(row) : undefined;
    },
    async update(id: string, changes: UserChanges): Promise<User | undefined> {
      const data = await encrypted(changes);
      // One statement that also returns the row; a missing id is Prisma's P2025.
      const row = await db.user.update({ where: { id }, data }).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'P2025') return undefined;
        throw error;
      });
      if (row) await afterWrite(() => cache.invalidate(userCodec, id));
      return row ? toUser(row) : undefined;
    },
    async list(query: {
      limit: number;
      after?: Position;
      role?: Role;
      active?: boolean;
    }): Promise<Page<User>> {
      const rows = await db.user.findMany({
        where: { ...after(query.after), role: query.role, active: query.active },
        orderBy: newestFirst,
        take: query.limit + 1,
      });
      const users = await Promise.all(rows.map(toUser));
      return toPage(users, query.limit, (user) => user);
    },
    /**
     * Inside a transaction: locks every active admin's row (in id order, so two callers cannot deadlock) and
     * returns their ids. A second caller waits for the first to commit, then sees only the rows that still
     * match, so a check made on this list cannot be raced.
     */
    async lockActiveAdmins(): Promise<string[]> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT id::text AS id FROM users WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`;
      return rows.map((row) => row.id);
    },
    async count(): Promise<number> {
      return db.user.count();
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
