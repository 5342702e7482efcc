"""Reports over many protocols (due lists): selection results -> text, JSON, CSV, Markdown, iCalendar. No printing."""
