"""offramp's screens: title, picker, play, debrief, help, load/save slots, error."""
