# Shortcuts; the scripts are the real thing and run without make.
.PHONY: test lint venv image
test:          ## all lint + Molecule scenarios, or one: make test SCENARIO=postgres
	scripts/test.sh $(SCENARIO)
venv:
	scripts/venv.sh
image:
	scripts/base-image.sh
lint: venv
	. scripts/env.sh && yamllint --strict . && ansible-lint --profile production
