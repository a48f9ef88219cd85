"""Messages that reach people: the transactional outbox (`outbox`), what each message says
(`content`), what domain changes queue (`notify`), delivery over SMTP (`sender`) and the
personal 'mijn aanmelding' link (`links`)."""
