"""The command line: thin wiring from options to library calls, and printing. One module per command group."""
