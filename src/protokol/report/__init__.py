"""Reports over many protocols (due lists): query results -> text, JSON, CSV, Markdown, iCalendar. No printing."""
