# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test install bench clean

$(BIN)/detente: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[model,test]'
	touch $@

install: $(BIN)/detente

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/detente ingest examples/syria --db $(DEMO_DB)
	$(BIN)/detente extract --db $(DEMO_DB) --registry examples/syria/actors.yaml
	$(BIN)/detente docs --db $(DEMO_DB)
	$(BIN)/detente actors --db $(DEMO_DB)
	$(BIN)/detente quotes --db $(DEMO_DB)
	$(BIN)/detente timeline --db $(DEMO_DB)
	$(BIN)/detente model forecast examples/syria/negotiation.yaml

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/ingest_throughput.py
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/plover_eval.py
	$(BIN)/python bench/deu3_backtest.py
	$(BIN)/python bench/montecarlo_speed.py
	$(BIN)/python bench/power_speed.py

clean:
	rm -rf $(VENV) $(DEMO_DB) *.egg-info
