# The two set-up commands of the README: `make demo` and `make test`.
# `make train` rebuilds the learned event-type model from ../shared/data (byte-identical from the same data).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install bench train clean

$(BIN)/detente: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[model,test,postgres,dask]'
	touch $@

install: $(BIN)/detente

demo: install
	$(BIN)/detente run examples/syria -o out/ --registry examples/syria/actors.yaml --negotiation examples/syria/negotiation.yaml
	$(BIN)/detente docs --db out/detente.db
	$(BIN)/detente model forecast examples/syria/negotiation.yaml

test: install
	$(BIN)/python -m pytest

train: install
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python -m detente.nlp.events.model.train --cv

bench: install
	$(BIN)/python bench/ingest_throughput.py
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/plover_eval.py
	$(BIN)/python bench/deu3_backtest.py
	$(BIN)/python bench/montecarlo_speed.py
	$(BIN)/python bench/power_speed.py
	$(BIN)/python bench/export_speed.py
	$(BIN)/python bench/report_speed.py

clean:
	rm -rf $(VENV) out/ *.egg-info
