# Shortcuts; the scripts are the real thing and run without make.
.PHONY: test checks lint venv image
test:          ## all lint + Molecule scenarios, or one: make test SCENARIO=postgres
	scripts/test.sh $(SCENARIO)
checks:        ## lint, changelog, plain clone, tarball contents, ansible-test sanity (no containers)
	scripts/test.sh checks
venv:
	scripts/venv.sh
image:
	scripts/base-image.sh
lint: venv
	. scripts/env.sh && yamllint --strict . && ansible-lint --profile production && antsibull-changelog lint
