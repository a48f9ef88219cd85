"""The people we work with: jobseekers, employers, staff and coach accounts (`accounts`), consent,
and who a typed name, address or phone is (`identity`)."""
