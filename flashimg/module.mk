# flashimg/module.mk: libflashimg.a (everything of the flashimg command but
# its main) and the flashimg tool, which links it with libflash.a,
# libspiffs.a and liblfs.a. libflashimg.a is not in LIBS: only flashimg
# and its fuzz target (tests/fuzz/fuzz_flashimg.c) link it.
FLASHIMG_SRC := $(filter-out flashimg/flashimg_main.c,\
                  $(wildcard flashimg/*.c))
BINS         += $(B)/bin/flashimg

$(B)/lib/libflashimg.a: $(FLASHIMG_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/bin/flashimg: $(B)/obj/flashimg/flashimg_main.o \
                   $(B)/lib/libflashimg.a $(B)/lib/libflash.a \
                   $(B)/lib/libspiffs.a $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(B)/fuzz/fuzz_flashimg: $(B)/obj/tests/fuzz/fuzz_flashimg.o \
                         $(B)/lib/libflashimg.a $(B)/lib/libflash.a \
                         $(B)/lib/libspiffs.a $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined $^ $(LDLIBS) -o $@
