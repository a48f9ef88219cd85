"""Registration: sign-up, waiting list, cancellation, coaches signing clients up, anti-bot; the
person's own page (`mine`); event changes that reach the people on an event (`event_changes`); and
what each change queues for them (`notify`)."""
