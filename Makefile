# protokol: `make demo` sets everything up and runs the main job on the example archive; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench messages schema golden docs clean screenshots templates pictures

$(STAMP): pyproject.toml setup.py src/protokol/_fastyaml.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/protokol check protocols/
	$(BIN)/protokol due --before 2024-07-01 --today 2024-06-01

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	@command -v rg >/dev/null || echo "make bench: rg (ripgrep) is missing, the goals against it are not judged: make bench-setup"
	$(BIN)/python bench/run.py

# Regenerate what is generated from the code; review the diff before committing.
messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

schema: $(STAMP)
	$(BIN)/protokol schema > schema/protokol.schema.json

golden: $(STAMP)
	PROTOKOL_REGENERATE=1 $(BIN)/python -m pytest tests -k golden

clean:
	rm -rf $(VENV) build .pytest_cache .protokol-cache src/protokol/*.so

docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

# Pictures of the site for docs/site.md (docs/img/site-*.png), in Debian's Chromium (apt-get install chromium
# chromium-driver); review them before committing.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# The pictures of rendered documents in docs/img/ (needs LibreOffice and poppler-utils).
pictures: $(STAMP)
	$(BIN)/python scripts/make_pictures.py

# The built-in templates (src/protokol/templates/, the one source) rebuilt, and copied into the example archive's
# templates/ (tests/test_templates_folder.py keeps the copies equal).
templates: $(STAMP)
	$(BIN)/python scripts/build_docx_template.py
	cp src/protokol/templates/protocol.docx src/protokol/templates/protocol.md.j2 templates/

# The C fast path of the reader under valgrind: tests/test_fastyaml.py (every repository file, the refused texts, the
# random documents). An invalid read, write or free, or a block lost for good, fails it; PYTHONMALLOC=malloc shows
# valgrind every object. Uninitialised-value checks are off: CPython 3.11's own int.from_bytes(b"") reads an
# uninitialised digit and the taint spreads through the interpreter (not protokol's); references the C code forgets
# are caught by test_reading_keeps_nothing_alive instead. About 2.5 minutes; .ci/run runs it after `make test`.
.PHONY: memcheck
memcheck: $(STAMP)
	@command -v valgrind >/dev/null || { echo "make memcheck needs valgrind (Debian: apt-get install valgrind)"; exit 2; }
	env -u PROTOKOL_NO_FASTYAML PYTHONMALLOC=malloc valgrind --quiet --error-exitcode=1 --undef-value-errors=no \
	  --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	  --suppressions=tests/valgrind.supp $(BIN)/python -m pytest tests/test_fastyaml.py

# What `make bench` compares with: ripgrep (Debian package ripgrep). Not needed by the tests or CI.
.PHONY: bench-setup
bench-setup:
	command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep; }
