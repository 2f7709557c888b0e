# The harness: see README.md. Each target is one script under scripts/.
S := scripts
VARIANT ?= plain

.PHONY: help deps tree export kernel selftests check prefixes matrix mutants devices demo bench vm clean

help:
	@echo "make deps       install what the harness needs (apt-get)"
	@echo "make tree       build/linux = Debian's linux-source + patches/ (FORCE=1 drops unexported commits)"
	@echo "make export     write build/linux's commits back to patches/"
	@echo "make kernel     build the kernel (VARIANT=plain|debug)"
	@echo "make check      the tests: checkpatch, build, KUnit and selftests in QEMU"
	@echo "make prefixes   every prefix of the series compiles (the files it touches)"
	@echo "make matrix     the series' objects on every configs/matrix/ config (W=1, sparse), UML KUnit"
	@echo "make mutants    mutation testing: each mutants/*.patch must fail the tests it names (M=NAME... for some)"
	@echo "make devices    the tests on arm64 guests with 4K and 16K pages (PAGES=\"4k 16k\")"
	@echo "make demo       the main job: stock vs patched, side by side"
	@echo "make bench      the full benchmark set"
	@echo "make vm CMD=... run one command in the guest"

deps:
	@$(S)/deps.sh

tree:
	@$(S)/tree.sh $(if $(FORCE),--force)

export:
	@$(S)/export.sh

kernel:
	@$(S)/kernel.sh $(VARIANT)

selftests:
	@$(S)/selftests.sh

check:
	@$(S)/check.sh

prefixes:
	@$(S)/prefixes.sh

matrix:
	@$(S)/matrix.sh

mutants:
	@$(S)/mutants.sh $(M)

devices:
	@$(S)/devices.sh $(PAGES)

demo:
	@$(S)/demo.sh

bench:
	@$(S)/bench.sh --snapshot

vm:
	@$(S)/vm.sh --variant $(VARIANT) -- bash -c '$(CMD)'

clean:
	rm -rf build/obj-* build/mutant build/arm64-* build/hdr-arm64 build/selftests-arm64 build/vm build/selftests build/results build/logs
