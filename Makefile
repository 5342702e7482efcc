# protokol: `make demo` sets everything up and runs the main job on the example archive; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench messages schema golden docs clean

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
