# Funnel: build, test and run. `make test` is what CI runs.
SWIFT ?= swift
PYTHON ?= python3
FUNNEL_DEBUG := .build/debug/funnel

.PHONY: all build release demo test swift-test reference-test bench clean

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# The main job: the embedded default model on the built-in sample.
demo:
	$(SWIFT) run -c release funnel demo

# Every test: Swift unit tests, the command line end to end (pytest), and the
# independent Python reference checked against the CLI on random models and leads.
test: swift-test reference-test

swift-test:
	$(SWIFT) build
	$(SWIFT) test

reference-test: build
	$(PYTHON) -m pytest -q Tests/cli Tests/reference
	$(PYTHON) Tests/reference/differential.py --funnel $(FUNNEL_DEBUG) --models 150 --leads 40 --seed 1

# Throughput of the scorer (not a test: it never fails on a slow machine).
bench:
	$(SWIFT) build -c release --package-path Benchmarks
	Benchmarks/.build/release/ScoringThroughput --leads 1000000

clean:
	rm -rf .build Benchmarks/.build
