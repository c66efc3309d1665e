"""Reports of the rubric lifecycle commands: a document model and its HTML and terminal renderers."""
