"""The people we work with: jobseekers and employers, and bringing in the ones already on file."""
