# tests/module.mk: one program per tests/test_<capability>.c, linked with the
# harness and every library; one libFuzzer program per tests/fuzz/fuzz_*.c.
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BINS += $(TEST_SRC:tests/%.c=$(B)/tests/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS   += $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

$(B)/tests/test_%: $(B)/obj/tests/test_%.o $(B)/obj/tests/harness.o $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(B)/fuzz/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined $^ $(LDLIBS) -o $@
