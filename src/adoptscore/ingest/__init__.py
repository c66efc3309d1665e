"""Getting usage data out of product payloads (GitLab Service Ping) and into rubric input columns."""
