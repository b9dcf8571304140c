# The object storage a stage's CloudNativePG cluster archives to through the Barman Cloud plugin: one private,
# encrypted, versioned bucket, and one IAM user that may only read, write and delete objects in it. Barman Cloud
# applies the retention itself (the ObjectStore's retentionPolicy deletes old base backups and WAL), so the
# lifecycle rule only expires what versioning keeps after a delete or an overwrite, and stray multipart uploads.
# The user's access key is not created here (it would sit in the state): see outputs.tf.

resource "aws_s3_bucket" "backups" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_ownership_controls" "backups" {
  bucket = aws_s3_bucket.backups.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket = aws_s3_bucket.backups.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# A leaked key that deletes or overwrites the archive leaves the previous versions behind for a while.
resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id

  rule {
    id     = "expire-replaced-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.backups]
}

resource "aws_iam_user" "backup" {
  name = "platform-db-backup-${var.stage}"
  path = "/platform/"
}

# What barman-cloud-wal-archive, barman-cloud-backup, -restore, -wal-restore and -backup-delete (retention) call:
# list the bucket, and get, put and delete objects in it. Nothing else, no other bucket.
data "aws_iam_policy_document" "backup" {
  statement {
    sid       = "ListTheArchive"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.backups.arn]
  }

  statement {
    sid       = "ReadWriteTheArchive"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.backups.arn}/*"]
  }
}

resource "aws_iam_user_policy" "backup" {
  name   = "platform-db-backup"
  user   = aws_iam_user.backup.name
  policy = data.aws_iam_policy_document.backup.json
}
