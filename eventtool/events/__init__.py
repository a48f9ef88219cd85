"""Events, series, programme blocks and speed-meet rounds; the events' calendar files."""
