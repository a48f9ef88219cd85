"""Messages that reach people: the transactional outbox (`outbox`), what each message says
(`content`, Jinja2 templates) and the personal 'mijn aanmelding' and unsubscribe tokens (`links`).
What a change queues is registration.notify; delivery over SMTP is eventtool.sender."""
