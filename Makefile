# Two commands do all the set-up: `make run` (the bot) and `make test` (the tests).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck format eval bench check locales clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c constraints.txt
	touch $(STAMP)

run: $(STAMP)  ## start the bot (terminal chat when TELEGRAM_BOT_TOKEN is unset)
	$(BIN)/adal-bot

test: lint typecheck  ## lint, types, validate the knowledge base, the tests and the evaluation gates
	$(BIN)/adal-bot kb check --strict
	$(BIN)/python -m pytest -q -n 2  # both cores: the suite takes half the time
	$(BIN)/adal-bot eval tests/data/eval.jsonl --min-accuracy 0.93 --min-abstention 0.95 --max-wrong 0.01 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh.jsonl --min-accuracy 0.86 --min-abstention 0.98 --max-wrong 0.02 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh2.jsonl --min-accuracy 0.86 --min-abstention 0.98 --max-wrong 0.015 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh3.jsonl --min-accuracy 0.86 --min-abstention 0.96 --max-wrong 0.025 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh4.jsonl --min-accuracy 0.90 --min-abstention 0.98 --max-wrong 0.015 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh5.jsonl --min-accuracy 0.875 --min-abstention 0.97 --max-wrong 0.02 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh6.jsonl --min-accuracy 0.95 --min-abstention 0.97 --max-wrong 0.015 \
		--min-kind situation=0.9 --min-kind long=0.9 >/dev/null  # issue 14's targets
	$(BIN)/adal-bot eval tests/data/fresh7.jsonl --min-accuracy 0.88 --min-abstention 0.97 --max-wrong 0.015 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh8.jsonl --min-accuracy 0.90 --min-abstention 0.97 --max-wrong 0.015 \
		--min-kind situation=0.9 --min-kind long=0.9 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh9.jsonl --min-accuracy 0.88 --min-abstention 0.97 --max-wrong 0.025 \
		--min-kind situation=0.85 --min-kind long=0.9 >/dev/null
	$(BIN)/adal-bot eval tests/data/fresh10.jsonl --min-accuracy 0.88 --min-abstention 0.97 --max-wrong 0.025 \
		--min-kind situation=0.9 --min-kind long=0.9 >/dev/null
	$(BIN)/adal-bot eval tests/data/common-words-en.jsonl --max-wrong 0.02 >/dev/null
	$(BIN)/adal-bot eval tests/data/common-words-ru.jsonl --max-wrong 0.02 >/dev/null

lint: $(STAMP)  ## ruff's lint rules and its formatting, checked
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

typecheck: $(STAMP)  ## mypy --strict over bot/ (configured in pyproject.toml)
	$(BIN)/mypy

format: $(STAMP)  ## format the code and apply ruff's safe fixes
	$(BIN)/ruff format bot tests bench
	$(BIN)/ruff check --fix bot tests bench

eval: $(STAMP)  ## the evaluation reports: held-out sets as figures only, tuning sets in full
	for set in eval fresh fresh2 fresh3 fresh4 fresh5 fresh6 fresh7 fresh8 fresh9 fresh10; do \
		$(BIN)/adal-bot eval --summary tests/data/$$set.jsonl || exit 1; done
	$(BIN)/adal-bot eval tests/data/holdout.jsonl
	$(BIN)/adal-bot eval tests/data/dev.jsonl

bench: $(STAMP)
	$(BIN)/python bench/bench_matching.py

check: $(STAMP)
	$(BIN)/adal-bot kb check

locales: $(STAMP)  ## extract UI strings and update the kk/ru/en catalogs
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --width 100 \
		--project adal-bot -o locales/adal.pot bot
	$(BIN)/pybabel update -i locales/adal.pot -d locales -D adal --width 100 --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache dist build
