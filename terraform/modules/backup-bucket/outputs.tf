output "bucket" {
  description = "The backup bucket's name."
  value       = aws_s3_bucket.backups.bucket
}

output "destination_path" {
  description = "Barman Cloud destination: the stack's platform:postgres.backup.destinationPath."
  value       = "s3://${aws_s3_bucket.backups.bucket}/"
}

output "iam_user" {
  description = "IAM user the cluster's backups authenticate as; create its key with `aws iam create-access-key --user-name <this>` and write it to Vault (docs/runbooks/restore-from-backup.md)."
  value       = aws_iam_user.backup.name
}
