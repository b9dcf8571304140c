variable "stage" {
  type        = string
  description = "Stage whose database backs up here (staging, prod): names the bucket's IAM user."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.stage)
    error_message = "One of dev, staging, prod."
  }
}

variable "bucket_name" {
  type        = string
  description = "S3 bucket for the stage's Barman Cloud archive; the stack's postgres.backup.destinationPath is s3://<bucket_name>/."
}

variable "noncurrent_version_days" {
  type        = number
  description = "Days an overwritten or deleted object stays recoverable (versioning) before S3 expires it: longer than the stack's retention margin."
  default     = 14
}
