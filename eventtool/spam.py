"""Against sign-up bots, without a CAPTCHA or a hidden trap field (both get in the way of
keyboard and screen-reader users): a form sent sooner after it was shown than any person can fill
it in is refused, and one address may send only so many sign-ups in a window. A person who is
slow is never refused."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from .errors import DomainError

MIN_SECONDS_TO_FILL = 2.0
MAX_PER_WINDOW = 10
WINDOW_SECONDS = 600


class SpamGuard:
    def __init__(self, clock=time.monotonic, min_seconds: float = MIN_SECONDS_TO_FILL,
                 max_per_window: int = MAX_PER_WINDOW, window: float = WINDOW_SECONDS):
        self.clock, self.min_seconds, self.max_per_window, self.window = clock, min_seconds, max_per_window, window
        self._sent: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, source: str, form_shown_at: float | None) -> None:
        """Raise before the sign-up is attempted; counts the attempt when it passes."""
        now = self.clock()
        if form_shown_at is not None and now - form_shown_at < self.min_seconds:
            raise DomainError("spam.too_fast")
        with self._lock:
            sent = self._sent[source or "unknown"]
            while sent and now - sent[0] > self.window:
                sent.popleft()
            if len(sent) >= self.max_per_window:
                raise DomainError("spam.too_many", minutes=int(self.window // 60))
            sent.append(now)
