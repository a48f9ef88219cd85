"""What comes of the events: surveys that collect outcomes from the people themselves, how long
placements last, and the Banenafspraak/SROI figures built from both."""
