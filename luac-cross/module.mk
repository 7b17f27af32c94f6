# luac-cross/module.mk: the luac.cross command, and libluac.a: everything
# but its main (the compiler, also the host compiler of nodemcu-sim).
# -F runs scripts in the firmware VM, so luac.cross links libfirmware.a.
LUAC_SRC := $(filter-out luac-cross/luac_main.c,$(wildcard luac-cross/*.c))
BINS     += $(B)/bin/luac.cross

$(B)/obj/luac-cross/%.o: CFLAGS += -I/usr/include/lua5.1

$(B)/lib/libluac.a: $(LUAC_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/bin/luac.cross: $(B)/obj/luac-cross/luac_main.o $(B)/lib/libluac.a \
                     $(B)/lib/libfirmware.a $(B)/lib/libflash.a \
                     $(B)/lib/libspiffs.a $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The 5.3 source scanner is fuzzed on its own (tests/fuzz/fuzz_luac53.c).
LUAC53_SCAN := $(addprefix $(B)/obj/luac-cross/,luac_parse53.o \
               luac_lex.o luac_fold53.o)
$(B)/fuzz/fuzz_luac53: $(LUAC53_SCAN)
