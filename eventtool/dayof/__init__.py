"""The day itself: the day plan, check-in and the attendance lists and badges."""
