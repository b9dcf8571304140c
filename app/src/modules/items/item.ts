export interface Item {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly ownerId: string;
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
