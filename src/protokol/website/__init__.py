"""The archive as a static website (`protokol site`, `protokol serve`): docs/site.md.

data.py gathers what the pages show (pure), pages.py renders them through the templates in templates/site/,
search.py makes the embedded search index, output.py writes the folder (whole the first time, then only the pages
that changed), build.py reads the archive and ties them together, serve.py serves the folder and rebuilds it.
"""
