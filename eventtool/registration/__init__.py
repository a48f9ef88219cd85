"""Sign-up, waiting list, cancellation, coaches, anti-bot; tells people through messages."""
