-- DropIndex
DROP INDEX "items_created_at_id_idx";

-- DropIndex
DROP INDEX "items_owner_id_created_at_id_idx";

-- CreateIndex
CREATE INDEX "items_owner_id_created_at_id_idx" ON "items"("owner_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "items_created_at_id_idx" ON "items"("created_at" DESC, "id" DESC);
