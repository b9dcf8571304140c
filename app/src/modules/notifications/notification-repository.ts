import type { DbClient } from '../shared/db-client.js';

export function notificationRepository(db: DbClient) {
  return {
    async create(notification: { userId: string; kind: string; subjectId: string }): Promise<void> {
      await db.notification.create({ data: notification });
    },
  };
}
