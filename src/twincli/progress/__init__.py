"""Where a programme stands on a day: the figures, what errors leave out, and their JSON shapes."""
