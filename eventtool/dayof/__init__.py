"""The day itself: the day plan, check-in at the door, and the attendance lists (Excel, sign-in PDF)."""
