"""Core: configuration, the database, errors, validation, time, i18n, audit, text rules, collation."""
