"""What comes of the events: outcomes and the surveys that collect them from the people themselves,
how long placements last, the Banenafspraak/SROI figures, charts and report PDFs, a coach's caseload,
unsubscribing from surveys and reminders, and bringing in people and past outcomes already on file."""
