# Two entry points, each doing its own set-up on a fresh machine:
#   make demo   the whole pipeline on the built-in synthetic data, ending with the results table
#   make test   the test suite
# The project-local virtual environment lives in .venv; mmcv's CPU ops are compiled from its
# sdist the first time (~25 min on 2 cores), pip's wheel cache makes later installs instant.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.mmwsis-installed
TORCH_SPEC ?= torch==2.13.0
NUMPY_SPEC ?=
NUMPY_ARG = $(if $(NUMPY_SPEC),'$(NUMPY_SPEC)')
# mmcv 2.1.0 compiled against one torch does not load with another, and pip's wheel cache
# does not know which torch a wheel was built for: the builds are kept per torch and Python.
MMCV_WHEELS ?= $(HOME)/.cache/mmwsis/mmcv-2.1.0
# The install most users have on their GPU machines: torch 2.1.2 (PyPI's CUDA wheel runs on
# a CPU once its nvidia wheels are installed), numpy 1.x, mmcv 2.1.0 built against it, on
# the oldest Python mmwsis declares. `make compat-test` builds it into $(COMPAT_VENV).
COMPAT_VENV ?= .venv-torch2.1
COMPAT_PYTHON ?= python3.9
SYNTHETIC := data/synthetic
SYNTHETIC_PHOTO := data/synthetic_photo
WORK_DIR ?= work_dirs

.PHONY: install demo test benchmark compat-test clean-venv

install: $(STAMP)

$(STAMP): requirements/*.txt pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements/build.txt $(NUMPY_ARG)
	$(PIP) install "$(TORCH_SPEC)" $(NUMPY_ARG)
	$(PY) -c "import mmcv._ext" 2>/dev/null || { \
		wheels="$(MMCV_WHEELS)/$$($(PY) -c 'import sys, torch; print(f"torch{torch.__version__}-py{sys.version_info[0]}{sys.version_info[1]}")')"; \
		ls "$$wheels"/mmcv-2.1.0-*.whl >/dev/null 2>&1 || \
			MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS=2 $(PIP) wheel --no-cache-dir --no-build-isolation \
				--no-deps mmcv==2.1.0 -w "$$wheels"; \
		$(PIP) install --no-deps "$$wheels"/mmcv-2.1.0-*.whl; }
	$(PIP) install -r requirements/runtime.txt -r requirements/tests.txt -r requirements/openmmlab.txt \
		-r requirements/mim.txt $(NUMPY_ARG)
	$(PIP) install --no-deps openmim==0.3.9
	$(PIP) install --no-build-isolation --no-deps -e .
	# mim locates packages with pkg_resources, which sees a PEP 660 editable install at
	# site-packages, where the package is not. Write the egg-info beside the sources and put
	# the repo on the venv's sys.path just before site-packages (as `setup.py develop` did;
	# PYTHONPATH still comes first), so that `mim train mmwsis <config>` finds the configs.
	$(PY) setup.py -q egg_info
	echo "import sys; sys.path.insert(next((i for i, p in enumerate(sys.path) if p.endswith('site-packages')), len(sys.path)), '$(CURDIR)')" \
		> "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/mmwsis-develop.pth"
	$(PY) -c "import mmcv._ext, mmwsis; print('mmwsis', mmwsis.__version__, 'installed')"
	touch $(STAMP)

$(SYNTHETIC)/meta.json: | $(STAMP)
	$(PY) tools/make_synthetic.py --out $(SYNTHETIC) --preset default --workers 2

$(SYNTHETIC_PHOTO)/meta.json: | $(STAMP)
	$(PY) tools/make_synthetic.py --out $(SYNTHETIC_PHOTO) --preset photo --workers 2

# IRNet on the synthetic data: teacher -> pseudo labels -> Mask R-CNN -> evaluation, and
# the fully-supervised ceiling; each stage is skipped when its output exists.
demo: $(STAMP) $(SYNTHETIC)/meta.json
	$(PY) tools/pipeline.py configs/irn/irn_synthetic.py --work-dir $(WORK_DIR)/irn_synthetic_pipeline

# Every method's pipeline on both presets, one after another (each stage skipped when done,
# every run on the same data sharing its ceiling; days on 2 CPU cores), then one json,
# table and chart in $(WORK_DIR)/benchmark. `tools/benchmark.py --from-results` reads the
# committed result files instead.
benchmark: $(STAMP) $(SYNTHETIC)/meta.json $(SYNTHETIC_PHOTO)/meta.json
	$(PY) tools/benchmark.py --out-dir $(WORK_DIR)/benchmark

test: $(STAMP)
	$(PY) -m pytest tests projects

compat-test:
	$(MAKE) test VENV=$(COMPAT_VENV) PYTHON=$(COMPAT_PYTHON) TORCH_SPEC=torch==2.1.2 \
		NUMPY_SPEC='numpy>=1.26,<2'

clean-venv:
	rm -rf $(VENV)
