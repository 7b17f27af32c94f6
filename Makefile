# Top-level Makefile: builds every tool and library, runs the tests.
# Each folder contributes a fragment, <folder>/module.mk, that appends to
# LIBS, BINS, TEST_BINS and FUZZERS. Two build variants share the sources:
#   build/rel   -O2, what `make all` and `make install` use
#   build/asan  AddressSanitizer + UBSan, built and run by `make check`

VECTORS  ?= tests/vectors
PREFIX   ?= /usr/local
DESTDIR  ?=
VARIANT  ?= rel
B        := build/$(VARIANT)

CC       ?= cc
WARN     := -Wall -Wextra -Werror
CSTD     := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
ifeq ($(VARIANT),asan)
OPT      := -O1 -g -fno-omit-frame-pointer \
            -fsanitize=address,undefined -fno-sanitize-recover=all
else
OPT      := -O2
endif
CFLAGS   := $(CSTD) $(WARN) $(OPT) -I. $(EXTRA_CFLAGS)
LDFLAGS  := $(OPT)
LDLIBS   := -lz -ldl -lm

LIBS      :=
BINS      :=
TEST_BINS :=
FUZZERS   :=
MANPAGES  := $(wildcard man/*.1)

## all: build the tools (build/rel/bin)
all:

include $(sort $(wildcard */module.mk))

all: $(BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

## deps: install the Debian packages that are missing (apt-get)
deps:
	@tools/deps.sh

## tests: build the test programs of the current variant
tests: $(BINS) $(TEST_BINS)

## check: build both variants and run the whole suite; ends "N passed, N failed"
check:
	@$(MAKE) -s --no-print-directory VARIANT=rel tests
	@$(MAKE) -s --no-print-directory VARIANT=asan tests
	@VECTORS=$(VECTORS) tests/run.sh build/rel build/asan

## run: build, compile examples/ into an LFS image and show it
run: deps all
	@tools/run-example.sh $(B)/bin

## bench: compile throughput and image sizes, printed as a table
bench: all
	@VECTORS=$(VECTORS) bench/run.sh $(B)/bin

## fuzz: build the libFuzzer targets with clang and run each (FUZZ_SECONDS)
FUZZ_SECONDS ?= 60
fuzz:
	@tools/deps.sh clang
	@$(MAKE) --no-print-directory VARIANT=fuzz CC=clang \
	    EXTRA_CFLAGS="-g -fsanitize=fuzzer-no-link,address,undefined" fuzzers
	@VECTORS=$(VECTORS) tools/run-fuzz.sh build/fuzz $(FUZZ_SECONDS)

fuzzers: $(FUZZERS)

## target: cross-build the firmware for xtensa lx106 (build/xtensa/firmware.elf)
target:
	@$(MAKE) --no-print-directory -f firmware/esp8266/esp8266.mk

## install: binaries and man pages into $(DESTDIR)$(PREFIX)
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1

## clean: remove build/
clean:
	rm -rf build

## help: this list
help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

.PHONY: all deps tests check run bench fuzz fuzzers target install clean help
.DELETE_ON_ERROR:
.SECONDARY:
